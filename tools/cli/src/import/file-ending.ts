import { open } from 'node:fs/promises';

/**
 * Whether a text file ends with a line break. Exports are written line by line, so a last
 * line without one is most often a file cut short in transfer, and its last cell may be
 * shortened ("PAI" for "PAID") without anything else looking wrong.
 */
export async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const tail = Buffer.alloc(Math.min(2, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    // UTF-16LE writes a line break as 0A 00.
    return tail.at(-1) === 0x0a || (tail.at(-2) === 0x0a && tail.at(-1) === 0x00);
  } finally {
    await handle.close();
  }
}
