// `npm start`: open the Electron window when Electron's binary is installed; where it is not (machines that
// install with ELECTRON_SKIP_BINARY_DOWNLOAD=1), start the browser host on the demo workspace and print its URL.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);

function electronBinary() {
  try {
    return require('electron'); // the binary's path; throws when the binary was never downloaded
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, [root, ...extra], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron binary not installed here: starting the browser host on the demo workspace instead.\n');
  const child = spawn(process.execPath, [join(root, 'bin', 'rampart.cjs'), 'serve', ...extra], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let opened = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /http:\/\/\S+\?token=\S+/.exec(String(chunk))?.[0];
    if (url && !opened && process.env.DISPLAY && !process.env.CI) {
      opened = true;
      spawnSync('xdg-open', [url], { stdio: 'ignore' });
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
