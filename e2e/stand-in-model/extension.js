// Test-only extension for make e2e (see README.md): a stand-in language model and a
// command that invokes Prompt Coach's language model tool.
/* global require, exports */
'use strict';

const vscode = require('vscode');

const VENDOR = 'promptcoach-e2e';
const TOOL = 'promptcoach_checkPrompt';
const TOOL_PROMPT = 'Make a posts table.';

/** @type {import('vscode').LanguageModelChatProvider} */
const provider = {
  provideLanguageModelChatInformation: () => [
    {
      id: 'stand-in',
      name: 'Stand-in Model',
      family: 'stand-in',
      version: '1.0.0',
      maxInputTokens: 16000,
      maxOutputTokens: 1000,
      capabilities: { toolCalling: true },
      isUserSelectable: true,
    },
  ],
  provideLanguageModelChatResponse: async (_model, _messages, _options, progress) => {
    progress.report(new vscode.LanguageModelTextPart('The stand-in model of the Prompt Coach e2e test has nothing to say.'));
  },
  provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text.length : JSON.stringify(text).length) / 4),
};

async function invokeCheckPromptTool() {
  const result = await vscode.lm.invokeTool(TOOL, { input: { prompt: TOOL_PROMPT }, toolInvocationToken: undefined });
  const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  const document = await vscode.workspace.openTextDocument({ content: `${TOOL} result\n\n${text}`, language: 'plaintext' });
  await vscode.window.showTextDocument(document);
  return text;
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider(VENDOR, provider),
    vscode.commands.registerCommand('promptcoachE2e.invokeCheckPromptTool', invokeCheckPromptTool),
  );
  // Resolves the provider's models now, so the chat's model picker lists the stand-in.
  void vscode.lm.selectChatModels({ vendor: VENDOR });
};

exports.deactivate = () => undefined;
