import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandPath, findPython, isSupported, whichIn, type PythonProbe } from '../src/python';

/** A machine description: executables with the version they report (or an error text). */
function probe(options: Partial<PythonProbe> & { versions?: Record<string, string | Error>; onPath?: Record<string, string> }): PythonProbe & { ran: string[] } {
  const ran: string[] = [];
  const versions = options.versions ?? {};
  return {
    ran,
    setting: options.setting ?? {},
    trusted: options.trusted ?? true,
    workspaceFolder: options.workspaceFolder ?? '/ws',
    home: '/home/me',
    pythonExtension: options.pythonExtension ?? (() => Promise.resolve(undefined)),
    which: (name) => Promise.resolve(options.onPath?.[name]),
    version: (command) => {
      ran.push(command);
      const version = versions[command];
      if (version === undefined) {
        return Promise.reject(new Error('not found'));
      }
      return version instanceof Error ? Promise.reject(version) : Promise.resolve(version);
    },
  };
}

describe('python discovery', () => {
  it('takes the setting first', async () => {
    const machine = probe({
      setting: { globalValue: '/opt/py/bin/python' },
      pythonExtension: () => Promise.resolve('/ext/python'),
      versions: { '/opt/py/bin/python': '3.12.1', '/ext/python': '3.11.0' },
    });
    const found = await findPython(machine);
    assert.deepEqual(found, { ok: true, command: '/opt/py/bin/python', version: '3.12.1', source: 'setting' });
    assert.deepEqual(machine.ran, ['/opt/py/bin/python']);
  });

  it('then the Python extension, then python3 on PATH', async () => {
    const withExtension = await findPython(
      probe({ pythonExtension: () => Promise.resolve('/ws/.venv/bin/python'), versions: { '/ws/.venv/bin/python': '3.10.4' } }),
    );
    assert.equal(withExtension.ok && withExtension.source, 'python-extension');
    const onPath = await findPython(probe({ onPath: { python3: '/usr/bin/python3' }, versions: { '/usr/bin/python3': '3.11.2' } }));
    assert.deepEqual(onPath, { ok: true, command: '/usr/bin/python3', version: '3.11.2', source: 'path' });
  });

  it('skips a Python extension environment that is too old', async () => {
    const found = await findPython(
      probe({
        pythonExtension: () => Promise.resolve('/old/python'),
        onPath: { python3: '/usr/bin/python3' },
        versions: { '/old/python': '3.8.10', '/usr/bin/python3': '3.11.2' },
      }),
    );
    assert.equal(found.ok && found.command, '/usr/bin/python3');
  });

  it('reports a configured interpreter that is too old instead of silently using another', async () => {
    const found = await findPython(
      probe({
        setting: { globalValue: '/usr/bin/python3.8' },
        onPath: { python3: '/usr/bin/python3' },
        versions: { '/usr/bin/python3.8': '3.8.10', '/usr/bin/python3': '3.11.2' },
      }),
    );
    assert.equal(found.ok, false);
    assert.match(!found.ok ? found.message : '', /Python 3\.10 or newer.*\/usr\/bin\/python3\.8 is Python 3\.8\.10.*promptcoach\.python\.path/);
  });

  it('says what to do when no Python fits', async () => {
    const found = await findPython(probe({ onPath: { python3: '/usr/bin/python3' }, versions: { '/usr/bin/python3': '3.9.18' } }));
    assert.equal(found.ok, false);
    const message = !found.ok ? found.message : '';
    assert.match(message, /needs Python 3\.10 or newer/);
    assert.match(message, /\/usr\/bin\/python3 is Python 3\.9\.18/);
    assert.match(message, /Restart Server/);
    const none = await findPython(probe({}));
    assert.match(!none.ok ? none.message : '', /no python3 or python on PATH/);
  });

  it('in an untrusted workspace ignores workspace settings and the Python extension', async () => {
    let askedExtension = false;
    const machine = probe({
      trusted: false,
      setting: { workspaceValue: '/ws/evil/python', workspaceFolderValue: '/ws/evil2/python' },
      pythonExtension: () => {
        askedExtension = true;
        return Promise.resolve('/ws/.venv/bin/python');
      },
      onPath: { python3: '/usr/bin/python3' },
      versions: { '/ws/evil/python': '3.12.0', '/ws/evil2/python': '3.12.0', '/ws/.venv/bin/python': '3.12.0', '/usr/bin/python3': '3.11.2' },
    });
    const found = await findPython(machine);
    assert.equal(found.ok && found.command, '/usr/bin/python3');
    assert.equal(askedExtension, false);
    assert.ok(!machine.ran.some((command) => command.startsWith('/ws/')), `ran ${machine.ran.join(', ')}`);
  });

  it('in an untrusted workspace still uses the user setting', async () => {
    const found = await findPython(
      probe({ trusted: false, setting: { globalValue: '~/py/bin/python', workspaceValue: '/ws/python' }, versions: { '/home/me/py/bin/python': '3.13.0' } }),
    );
    assert.equal(found.ok && found.command, '/home/me/py/bin/python');
  });

  it('prefers folder over workspace over user settings when trusted', async () => {
    const found = await findPython(
      probe({
        setting: { globalValue: '/u/python', workspaceValue: '/w/python', workspaceFolderValue: '${workspaceFolder}/.venv/bin/python' },
        versions: { '/ws/.venv/bin/python': '3.12.0' },
      }),
    );
    assert.equal(found.ok && found.command, '/ws/.venv/bin/python');
  });
});

describe('python helpers', () => {
  it('compares versions', () => {
    assert.ok(isSupported('3.10.0'));
    assert.ok(isSupported('3.13.1'));
    assert.ok(isSupported('4.0'));
    assert.ok(!isSupported('3.9.18'));
    assert.ok(!isSupported('2.7.18'));
    assert.ok(!isSupported('garbage'));
  });

  it('expands ~ and variables', () => {
    assert.equal(expandPath('~/x/python', '/h'), '/h/x/python');
    assert.equal(expandPath('${userHome}/python', '/h'), '/h/python');
    assert.equal(expandPath('${workspaceFolder}/python', '/h', '/w'), '/w/python');
    assert.equal(expandPath('${workspaceFolder}/python', '/h'), undefined);
  });

  it('looks executables up on PATH, skipping relative entries', async () => {
    const existing = new Set(['/usr/local/bin/python3', 'bin/python3', '/usr/bin/python3']);
    const isExecutable = (file: string) => Promise.resolve(existing.has(file));
    assert.equal(await whichIn('python3', 'bin:.:/usr/local/bin:/usr/bin', isExecutable, 'linux'), '/usr/local/bin/python3');
    assert.equal(await whichIn('python3', '.:bin', isExecutable, 'linux'), undefined);
    const windows = (file: string) => Promise.resolve(file === 'C:\\Python312\\python.exe');
    assert.equal(await whichIn('python', 'C:\\Python312;.', windows, 'win32'), 'C:\\Python312\\python.exe');
  });
});
