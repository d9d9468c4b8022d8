#!/usr/bin/env node
/**
 * The `posix-ipc` command: `posix-ipc tour [--list] [chapter...]`.
 * @internal
 */
import { chapters, runChapter } from './tour/index';

function usage(): string {
  return [
    'usage: posix-ipc tour [--list] [chapter...]',
    '',
    '  tour             run every chapter of the lecture tour, in order',
    '  tour --list      list the chapters',
    '  tour <chapter>   run one chapter (by id or number)',
  ].join('\n');
}

async function tour(args: string[]): Promise<number> {
  if (args.includes('--list')) {
    chapters.forEach((c, i) => console.log(`${String(i + 1).padStart(2)}. ${c.id.padEnd(12)} ${c.title}`));
    return 0;
  }
  const wanted = args.length === 0 ? chapters : args.map((a) => {
    const byNumber = /^\d+$/.test(a) ? chapters[Number(a) - 1] : undefined;
    const c = byNumber ?? chapters.find((ch) => ch.id === a);
    if (!c) throw new Error(`no chapter ${JSON.stringify(a)} (see: posix-ipc tour --list)`);
    return c;
  });
  for (const c of wanted) await runChapter(c, chapters.indexOf(c) + 1);
  console.log(`\n${wanted.length} chapter${wanted.length === 1 ? '' : 's'} run.`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'tour':
      return await tour(rest);
    case undefined:
    case '-h':
    case '--help':
      console.log(usage());
      return cmd === undefined ? 2 : 0;
    default:
      console.error(`posix-ipc: unknown command ${JSON.stringify(cmd)}\n${usage()}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`posix-ipc: ${e.message}`);
    process.exitCode = 1;
  },
);
