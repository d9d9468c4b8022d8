// Around every test file: the descriptors open when the file ends are the ones open when it began.
// A call that leaks a descriptor on any path (a failed call included) fails the file here.
import { afterAll, beforeAll, expect } from 'vitest';
import * as fs from 'node:fs';

function snapshot(): Map<number, string> {
  const m = new Map<number, string>();
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      m.set(Number(name), fs.readlinkSync(`/proc/self/fd/${name}`));
    } catch {
      // the descriptor readdir itself used
    }
  }
  return m;
}

// Node opens some descriptors of its own lazily, on first use (the event loop's signal pipe for
// a child process's exit, inotify for fs.watch): those are not the binding's.
const runtime = /^anon_inode:|^\/dev\/(null|urandom)$|inotify/;

let before: Map<number, string>;
beforeAll(() => {
  before = snapshot();
});
afterAll(() => {
  const after = snapshot();
  const leaked = [...after].filter(([fd, target]) => before.get(fd) !== target && !runtime.test(target));
  expect(leaked.map(([fd, target]) => `fd ${fd} -> ${target}`), 'descriptors left open by this test file').toEqual([]);
});
