# plain comment
FROM python:3.11-slim
RUN echo "# ai: not a comment" && echo done # not a comment either
# ai: install the app 🐳 with pip and run it as a non-root user
# exposing port 8000
CMD ["python", "-m", "app"]
