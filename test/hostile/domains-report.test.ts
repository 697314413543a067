// Issue 14: the report lists at most MAX_REPORTED_DOMAINS domains and counts the rest; a capture with more
// distinct domains than the table holds is analysed with the oldest aged out, and the report stays valid.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../../fixtures/builder/capture-file.js';
import { arpFrame } from '../../fixtures/builder/packet.js';
import { MAX_REPORTED_DOMAINS } from '../../src/facts/domains.js';
import { analyze } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'gwcheck-domains-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')));

describe('the report’s domain list', () => {
  it(`lists ${MAX_REPORTED_DOMAINS} domains in label order and counts the rest in stats.domainsOmitted`, async () => {
    const n = MAX_REPORTED_DOMAINS + 500;
    const packets = Array.from({ length: n }, (_, i) => ({
      bytes: arpFrame({
        opcode: 1,
        senderMac: '02:00:00:00:00:01',
        senderIp: '10.0.0.1',
        targetIp: '10.0.0.2',
        vlans: [
          { id: 1 + Math.floor(i / 4094), tpid: 0x88a8 },
          { id: 1 + (i % 4094) },
        ],
      }),
      seconds: 1700000000 + i,
    }));
    const path = join(dir, 'qinq.pcap');
    writeFileSync(path, writePcap(packets));
    const report = await analyze([path]);
    expect(report.stats.domains).toBe(n);
    expect(report.stats.domainsOmitted).toBe(500);
    expect(report.domains).toHaveLength(MAX_REPORTED_DOMAINS);
    const labels = report.domains.map((d) => d.label);
    expect(labels).toEqual([...labels].sort());
    expect(report.domains[0]).toEqual({ label: 'vlan 1.1', vlans: [1, 1], vni: null, innerVlans: [] });
    expect(validate(JSON.parse(JSON.stringify(report)))).toBe(true);
  });
});
