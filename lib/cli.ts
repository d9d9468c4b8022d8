#!/usr/bin/env node
/**
 * The `posix-ipc` command: `posix-ipc tour [--list] [chapter...]`.
 * @internal
 */
import { chapters } from './tour/index';

function usage(): string {
  return [
    'usage: posix-ipc tour [--list] [chapter...]',
    '',
    '  tour             run every chapter of the lecture tour, in order',
    '  tour --list      list the chapters',
    '  tour <chapter>   run one chapter (by id or number)',
  ].join('\n');
}

function tour(args: string[]): number {
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
  for (const c of wanted) {
    const n = chapters.indexOf(c) + 1;
    console.log(`\n== ${n}. ${c.title} ==`);
    c.run((line) => console.log(`   ${line}`));
  }
  console.log(`\n${wanted.length} chapter${wanted.length === 1 ? '' : 's'} run.`);
  return 0;
}

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'tour':
      return tour(rest);
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

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`posix-ipc: ${(e as Error).message}`);
  process.exitCode = 1;
}
