// Shared access to ../shared/corpus for the conformance tests: where it is, and tshark's per-frame truth.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

/** Whether the corpus (with its truth/) is beside the repo; tests skip visibly when it is not. */
export const corpusPresent = existsSync(`${CORPUS}truth`);

export interface TruthRow {
  frame: number;
  /** tshark's fields by name, trimmed; '' where tshark printed nothing. */
  values: Record<string, string>;
}

/** truth/<file>.tsv: one row per frame, columns named by the header row. */
export function readTruth(file: string): TruthRow[] {
  const lines = readFileSync(`${CORPUS}truth/${file}.tsv`, 'utf8').split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = (cells[i] ?? '').trim()));
    return { frame: Number(values['frame.number']), values };
  });
}
