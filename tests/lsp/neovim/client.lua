-- A real LSP client: headless Neovim drives `promptcoach serve` and writes what it saw to JSON.
-- usage: nvim --headless --clean -l client.lua OUT.json PYTHON FILE
local out_path, python, file = arg[1], arg[2], arg[3]
local result = { steps = {} }

local function finish()
  local fd = assert(io.open(out_path, "w"))
  fd:write(vim.json.encode(result))
  fd:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.cmd.edit(vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start({
    name = "promptcoach",
    cmd = { python, "-m", "promptcoach", "serve" },
    root_dir = vim.fs.dirname(file),
    init_options = { promptcoach = { debounceMs = 0 } },
  }, { bufnr = buf })
  assert(client_id, "the server did not start")
  local client = assert(vim.lsp.get_client_by_id(client_id))
  assert(vim.wait(30000, function() return client.initialized end, 20), "no initialize answer")
  table.insert(result.steps, "initialized")
  result.offset_encoding = client.offset_encoding

  -- diagnostics (Neovim 0.11 pulls them: the server advertises diagnosticProvider)
  assert(vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20), "no diagnostics")
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, code = d.code, source = d.source, message = d.message })
  end
  table.insert(result.steps, "diagnostics")

  local uri = vim.uri_from_bufnr(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local target, using = nil, nil
  for i, line in ipairs(lines) do
    if line:find("posts table", 1, true) then target = i - 1 end
    if line:find("Using $") then using = i - 1 end
  end

  -- completion after "Using " in a database prompt
  local completion = client:request_sync("textDocument/completion", {
    textDocument = { uri = uri },
    position = { line = using, character = #lines[using + 1] },
  }, 10000, buf)
  assert(completion and completion.result, "no completion answer")
  local items = completion.result.items or completion.result
  result.completion = {}
  for _, item in ipairs(items) do table.insert(result.completion, item.label) end
  table.insert(result.steps, "completion")

  -- hover on the vague prompt
  local hover = client:request_sync("textDocument/hover", {
    textDocument = { uri = uri }, position = { line = target, character = 3 },
  }, 10000, buf)
  assert(hover and hover.result, "no hover answer")
  result.hover = hover.result.contents.value
  table.insert(result.steps, "hover")

  -- the expand code action, applied to the buffer
  local context_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf, { lnum = target })) do
    table.insert(context_diagnostics, d.user_data and d.user_data.lsp or d)
  end
  local actions = client:request_sync("textDocument/codeAction", {
    textDocument = { uri = uri },
    range = { start = { line = target, character = 0 }, ["end"] = { line = target, character = 1 } },
    context = { diagnostics = context_diagnostics, only = { "quickfix" } },
  }, 10000, buf)
  assert(actions and actions.result, "no code action answer")
  result.actions = {}
  local expand
  for _, action in ipairs(actions.result) do
    table.insert(result.actions, action.title)
    if action.isPreferred and action.title:find("xpand") then expand = action end
  end
  assert(expand, "no preferred expand action")
  if not expand.edit then -- computed on codeAction/resolve, as Neovim's own code_action() does
    local resolved = client:request_sync("codeAction/resolve", expand, 10000, buf)
    assert(resolved and resolved.result and resolved.result.edit, "codeAction/resolve gave no edit")
    expand = resolved.result
    table.insert(result.steps, "resolve")
  end
  vim.lsp.util.apply_workspace_edit(expand.edit, client.offset_encoding)
  result.expanded_line = vim.api.nvim_buf_get_lines(buf, target, target + 1, false)[1]
  table.insert(result.steps, "expand")

  -- the server's command expands the other prompt: it sends the edit itself (workspace/applyEdit)
  local other
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:find("comments table", 1, true) then other = i - 1 end
  end
  client:exec_cmd({
    title = "Expand",
    command = "promptcoach.expand",
    arguments = { { uri = uri, position = { line = other, character = 2 } } },
  }, { bufnr = buf })
  assert(vim.wait(10000, function()
    local line = vim.api.nvim_buf_get_lines(buf, other, other + 1, false)[1]
    return line == nil or not line:find("^Create a comments table")
  end, 20), "promptcoach.expand changed nothing")
  result.after_command = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  result.command_line = vim.api.nvim_buf_get_lines(buf, other, other + 1, false)[1] or ""
  table.insert(result.steps, "command")
  client:stop()
end)
if not ok then result.error = tostring(err) end
finish()
