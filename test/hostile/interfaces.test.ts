// Issue 14: a pcapng with tens of thousands of interface description blocks is read in linear time, lists its
// link types sorted and unique, and says once that the number of interfaces is absurd.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcapng } from '../../fixtures/builder/capture-file.js';
import { analyze } from '../../src/index.js';
import { CaptureParser } from '../../src/capture/parser.js';
import { MANY_INTERFACES, MAX_INTERFACES } from '../../src/capture/pcapng.js';

/** SHB, then `n` IDBs (20 bytes each) with link types from `linkType(i)`, then one EPB on the last interface. */
function manyInterfaces(n: number, linkType: (i: number) => number): Buffer {
  const out = Buffer.alloc(28 + 20 * n + 32 + 60);
  out.writeUInt32LE(0x0a0d0d0a, 0);
  out.writeUInt32LE(28, 4);
  out.writeUInt32LE(0x1a2b3c4d, 8);
  out.writeUInt16LE(1, 12);
  out.writeBigInt64LE(-1n, 16);
  out.writeUInt32LE(28, 24);
  for (let i = 0; i < n; i++) {
    const at = 28 + 20 * i;
    out.writeUInt32LE(1, at);
    out.writeUInt32LE(20, at + 4);
    out.writeUInt16LE(linkType(i), at + 8);
    out.writeUInt32LE(20, at + 16);
  }
  const at = 28 + 20 * n;
  out.writeUInt32LE(6, at);
  out.writeUInt32LE(92, at + 4);
  out.writeUInt32LE(n - 1, at + 8);
  out.writeUInt32LE(60, at + 20);
  out.writeUInt32LE(60, at + 24);
  out.writeUInt32LE(92, at + 88);
  return out;
}

function read(data: Buffer) {
  const parser = new CaptureParser('test');
  parser.feed(data);
  const records: number[] = [];
  for (let r = parser.next(); r; r = parser.next()) records.push(r.linkType);
  parser.end();
  return { info: parser.info, records };
}

describe('many pcapng interfaces', () => {
  it('reads 65,536 distinct link types, in descending order, in linear time (was 53 s)', () => {
    const started = performance.now();
    const { info, records } = read(manyInterfaces(65536, (i) => 65535 - i));
    const ms = performance.now() - started;
    expect(info.error).toBeUndefined();
    expect(info.linkTypes).toHaveLength(65536);
    expect(info.linkTypes.slice(0, 3)).toEqual([0, 1, 2]);
    expect(info.linkTypes.every((t, i) => t === i)).toBe(true);
    expect(records).toEqual([0]);
    // Generous for a shared 2-core machine: the quadratic version took tens of seconds here.
    expect(ms).toBeLessThan(3000);
  });

  it('warns once about an absurd number of interfaces, and not for a merely large one', () => {
    const many = read(manyInterfaces(MANY_INTERFACES * 3, (i) => i % 7));
    expect(many.info.warnings.map((w) => w.code)).toEqual(['many-interfaces']);
    expect(many.info.warnings[0].message).toContain(`more than ${MANY_INTERFACES} interfaces`);
    expect(many.info.linkTypes).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const enough = read(manyInterfaces(MANY_INTERFACES, () => 1));
    expect(enough.info.warnings).toEqual([]);
    expect(enough.info.linkTypes).toEqual([1]);
  });
});

describe('an absurd number of interfaces', () => {
  it(`stops with one clear error past ${MAX_INTERFACES} interfaces, so memory stays bounded`, () => {
    const { info } = read(manyInterfaces(MAX_INTERFACES + 1, () => 1));
    expect(info.error?.code).toBe('bad-block');
    expect(info.error?.message).toBe(`interface description block at byte offset ${28 + 20 * MAX_INTERFACES}: more than ${MAX_INTERFACES} interfaces in one file`);
    expect(info.warnings.map((w) => w.code)).toEqual(['many-interfaces']);
  });
});

describe('packets of many unsupported link types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwcheck-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names ten link types in the warnings and sums up the rest in one line', async () => {
    const linkTypes = Array.from({ length: 40 }, (_, i) => 1000 + i);
    const capture = writePcapng([
      {
        interfaces: linkTypes.map((linkType) => ({ linkType })),
        blocks: linkTypes.map((_, i) => ({ type: 'epb' as const, packet: { bytes: Buffer.alloc(60), seconds: 1700000000 + i, interfaceId: i } })),
      },
    ]);
    const path = join(dir, 'link-types.pcapng');
    writeFileSync(path, capture);
    const report = await analyze([path]);
    const warnings = report.inputs[0].warnings;
    expect(warnings).toHaveLength(11);
    expect(warnings[0]).toMatch(/^1 packet\(s\) of link type 1000 /);
    expect(warnings[10]).toBe('30 packet(s) of 30 more unsupported link types skipped (not listed)');
    expect(report.inputs[0].linkTypes).toEqual(linkTypes);
  });
});
