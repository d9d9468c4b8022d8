// Seed 000, the mkfifo() demo: two unrelated processes meet at a named pipe. They share no
// descriptor, only a path in the file system.
// Run: npm run build:ts && node build-examples/fifo.js
//
// With no arguments it makes the FIFO and starts this same script twice, as a reader and as a
// writer (posix_spawnp: two separate programs), then waits for both and removes the FIFO.
//   node build-examples/fifo.js reader <path>   opens the FIFO to read, prints what arrives
//   node build-examples/fifo.js writer <path>   opens the FIFO to write, sends three lines
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { close, mkfifo, open, posix_spawnp, read, unlink, waitpid, write, O_RDONLY, O_WRONLY } from 'posix-ipc';

const [role, fifoPath] = process.argv.slice(2);

if (role === 'writer') {
  const fd = open(fifoPath!, O_WRONLY); // waits until a reader opens the FIFO
  for (const line of ['one', 'two', 'three']) write(fd, `${line}\n`);
  close(fd); // the reader sees end of file
} else if (role === 'reader') {
  const fd = open(fifoPath!, O_RDONLY); // waits until a writer opens the FIFO
  const buf = Buffer.alloc(1024);
  let text = '';
  for (let n; (n = read(fd, buf)) > 0; ) text += buf.toString('utf8', 0, n);
  close(fd);
  write(1, `reader received: ${JSON.stringify(text)}\n`);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posix-ipc-fifo-'));
  const p = path.join(dir, 'my_fifo');
  mkfifo(p, 0o644);
  const st = fs.statSync(p);
  console.log(`mkfifo ${path.basename(p)}: ${st.isFIFO() ? 'a FIFO' : 'not a FIFO?'}, mode ${(st.mode & 0o777).toString(8)}`);
  const node = process.execPath;
  const reader = posix_spawnp(node, [node, __filename, 'reader', p]);
  const writer = posix_spawnp(node, [node, __filename, 'writer', p]);
  // The reader first: it prints what it received before it exits, so its line comes before ours
  // (the writer can end before the reader has printed).
  for (const [name, pid] of [['reader', reader], ['writer', writer]] as const) {
    const st = waitpid(pid);
    console.log(`${name} ${st?.kind === 'exited' ? `exited with ${st.code}` : 'ended abnormally'}`);
  }
  unlink(p);
  fs.rmdirSync(dir);
}
