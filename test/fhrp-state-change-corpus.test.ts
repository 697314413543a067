// fhrp-state-change on real captures (../shared/corpus): tcpdump's HSRP failover and coup captures and its VRRP
// capture (masters preempting each other by priority) must read as their stories. Skipped when the corpus is absent.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';

const captures = fileURLToPath(new URL('../../shared/corpus/captures/', import.meta.url));
const present = existsSync(captures);
if (!present) console.warn('test/fhrp-state-change-corpus: ../shared/corpus is absent — skipping');

async function changes(file: string) {
  const report = await analyze([`${captures}${file}`], { rules: ['fhrp-state-change'] });
  return report.findings.map((f) => ({ summary: f.summary, subject: f.subject, frames: f.evidence.frames }));
}

describe.skipIf(!present)('fhrp-state-change on real captures', () => {
  it('tcpdump HSRP_failover.pcap: Active 192.168.0.10 falls silent, 192.168.0.30 takes over after the 10 s hold time', async () => {
    const found = await changes('tcpdump__HSRP_failover.pcap');
    expect(found).toHaveLength(1);
    expect(found[0].subject.changes).toEqual(['failover:192.168.0.10>192.168.0.30']);
    expect(found[0].summary).toBe(
      'HSRP group 1: Active moved from 192.168.0.10 to 192.168.0.30 at 2008-06-19T05:47:46.037Z, after 10 s without hellos from 192.168.0.10 — the hold time (10 s)',
    );
    // frame 11: the last hello from .10; frame 17: the first Active hello from .30.
    expect(found[0].frames).toEqual([11, 17]);
  });

  it('tcpdump HSRP_coup.pcap: 192.168.0.10 (priority 200) takes Active from 192.168.0.30 by a coup', async () => {
    const found = await changes('tcpdump__HSRP_coup.pcap');
    expect(found).toHaveLength(1);
    expect(found[0].subject.changes).toEqual(['coup:192.168.0.30>192.168.0.10']);
    // frame 19: last Active hello from .30; frame 22: the coup; frame 27: first Active hello from .10.
    expect(found[0].frames).toEqual([19, 22, 27]);
  });

  it('tcpdump vrrp.pcap: in each VRID the master moves up by priority, 10.0.0.91 → .92 → .93 …', async () => {
    const found = await changes('tcpdump__vrrp.pcap');
    const vrid42 = found.find((f) => f.subject.group === 42 && f.subject.protocol === 'vrrp');
    expect(vrid42).toBeDefined();
    const moves = vrid42!.subject.changes as string[];
    expect(moves.slice(0, 3)).toEqual(['preemption:10.0.0.91>10.0.0.92', 'preemption:10.0.0.92>10.0.0.93', 'preemption:10.0.0.93>10.0.0.94']);
    expect(found.map((f) => f.subject.group).sort()).toEqual([42, 43, 44, 45, 46]);
  });
});
