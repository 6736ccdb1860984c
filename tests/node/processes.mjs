// Helpers the Node.js tests share (tests/ui, tests/openapi): processes started in a work folder
// and waited for through their ready files, checks that fail with a message, and a test run that
// shows the processes' logs when it fails and stops them in any case.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/// Starts `command` with its output in `work/NAME.log` and resolves with the first line it
/// writes to `readyFile` (its address); `children` keeps it, to be stopped afterwards.
export function start(work, children, name, command, args, env, readyFile, cwd) {
  const log = fs.openSync(path.join(work, `${name}.log`), 'w');
  const child = spawn(command, args, {cwd, env: {...process.env, ...env}, stdio: ['ignore', log, log]});
  children.push(child);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60000;
    const poll = () => {
      const text = fs.existsSync(readyFile) ? fs.readFileSync(readyFile, 'utf8') : '';
      if (text.endsWith('\n')) return resolve(text.trim());
      if (child.exitCode !== null) return reject(new Error(`${name} exited:\n${fs.readFileSync(path.join(work, `${name}.log`), 'utf8')}`));
      if (Date.now() > deadline) return reject(new Error(`${name} did not start within 60 s`));
      setTimeout(poll, 100);
    };
    poll();
  });
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/// Runs `main`; when it fails, prints the error and the end of each process's log, and sets the
/// exit code. In any case then awaits `beforeStop` (if given), stops the processes and removes
/// `work`.
export async function run(work, children, main, beforeStop = async () => {}) {
  try {
    await main();
  } catch (error) {
    console.error(error.stack || error.message);
    for (const file of fs.readdirSync(work).filter((name) => name.endsWith('.log'))) {
      console.error(`--- ${file} (end)\n${fs.readFileSync(path.join(work, file), 'utf8').slice(-4000)}`);
    }
    process.exitCode = 1;
  } finally {
    await beforeStop();
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.rmSync(work, {recursive: true, force: true});
  }
}
