"""A tiny Flask app with prompts for the assistant in its comments."""

from flask import Flask

app = Flask(__name__)

# prompt: API to get users.
@app.get("/users")
def users():
    return []


# ai: add user login with sessions or something
# so that only admins can see /admin.
def login():
    pass


# An ordinary comment: nothing to coach here.
