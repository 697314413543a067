// What every consumer of an EVPN route asks of it first — its RD as a number, the PE that advertised it, and the
// EVPN instance it belongs to — worked out once per route by the engine's shared state (shared.ts), before any
// rule or the inventory sees the route. Each of them used to keep its own table of RDs and intern instances
// itself (three RD → PE tables, two instance interners, for the same facts).
//
// A withdrawal (MP_UNREACH_NLRI) carries neither a next hop nor extended communities, so the RD stands in: an RD is
// one PE's for one EVI (RFC 7432 §7.9). Per RD this keeps
//   - the PE: the next hop of the RD's last advertisement of any route type (a PE's inclusive-multicast routes
//     carry the RD of its MAC routes), its text once and its IPv4 number;
//   - the instances its MAC/IP (type-2) advertisements named, up to RD_INSTANCES (a VLAN-aware bundle puts several
//     VNIs behind one RD); past that, a withdrawal must be looked for in every instance.
// One row per RD, least recently advertised first out past --max-evpn-routes.
import type { EvpnRouteFact } from '../facts/types.js';
import { ipv4Key } from '../util/net.js';
import { AgedRowTable, PagedArray } from './bounded.js';
import { Columns } from './columns.js';
import { EvpnInstances, rdAddress, type InternedInstance } from './evpn.js';
import { RdNumbers } from './rd-numbers.js';

/** Instances remembered per RD; more and a withdrawal with that RD is looked for in every instance. */
export const RD_INSTANCES = 8;

const RD_ROW = {
  /** The PE's IPv4 number (ipv4Key: NaN when not IPv4); its text is in `peTexts` ('' before any next hop). */
  peV4: Float64Array,
  /** Instances noted in the row's slots of `rdInstances`; -1: more than RD_INSTANCES. */
  instanceCount: Int32Array,
};
/** An instance id, in a slot of an RD's row. */
const RD_INSTANCE = { id: Float64Array };

export class EvpnIdentity {
  /** EVPN instances as small ids, for every table keyed by (instance, MAC or IP). */
  readonly instances: EvpnInstances;
  private readonly resetListeners: ((below: number) => void)[] = [];
  private readonly rds: AgedRowTable<typeof RD_ROW>;
  private readonly rdInstances: Columns<typeof RD_INSTANCE>;
  /** By row of `rds`: the PE text, one copy however many facts carry it. */
  private readonly peTexts = new PagedArray<string>();
  private readonly rdNumbers = new RdNumbers();
  /** The RD text looked up last: the decoder hands out one string per RD and an UPDATE's routes share it. */
  private lastRdText: string | null = null;
  private lastRdNumber = NaN;

  // The route handed out now (valid while the engine hands it to the rules):
  /** Its RD as rdNumber reads it. */
  rd = NaN;
  /** Its RD's row (-1: a withdrawal of an RD not advertised lately). */
  private rdRow = -1;
  /** The PE that advertised it: the next hop; for a withdrawal the RD's last next hop, else the RD's address part
   *  (type 1), else the BGP speaker. */
  pe = '';
  /** `pe` as ipv4Key reads it (NaN: not IPv4). */
  peV4 = NaN;
  /** Its instance, for a type-2 advertisement with a MAC; null otherwise (a withdrawal names none). */
  instance: InternedInstance | null = null;

  constructor(cap: number) {
    const rows = Math.max(1, cap);
    this.rds = new AgedRowTable(rows, RD_ROW);
    this.rdInstances = new Columns(RD_INSTANCE, rows + 1, RD_INSTANCES);
    this.instances = new EvpnInstances(rows, (below) => {
      for (const listener of this.resetListeners) listener(below);
    });
  }

  /** Hears when the instances start over past the cap: ids below `below` are gone (and never reused). */
  onInstancesReset(listener: (below: number) => void): void {
    this.resetListeners.push(listener);
  }

  get rdCount(): number {
    return this.rds.size;
  }

  /** Feed every EVPN route once, in order, before anything reads the fields above. */
  observe(f: EvpnRouteFact): void {
    const rd = this.rdNumberOf(f.rd);
    this.rd = rd;
    let row = this.rds.find(0, rd);
    if (f.action === 'advertise') {
      if (row < 0) {
        row = this.rds.insert(0, rd);
        this.rdInstances.ensure(row);
        this.rdInstances.clearRow(row);
        this.rds.c.peV4[row] = NaN;
        this.peTexts.set(row, '');
      } else this.rds.touch(row);
      if (f.nextHop !== null && this.peTexts.get(row) !== f.nextHop) {
        this.peTexts.set(row, f.nextHop);
        this.rds.c.peV4[row] = f.nextHopV4;
      }
    }
    this.rdRow = row;
    const known = row >= 0 ? (this.peTexts.get(row) as string) : '';
    if (f.nextHop !== null) {
      // The RD's copy of the same text (set above).
      this.pe = known;
      this.peV4 = f.nextHopV4;
    } else if (known !== '') {
      this.pe = known;
      this.peV4 = this.rds.c.peV4[row];
    } else {
      this.pe = rdAddress(f.rd) ?? f.speaker;
      this.peV4 = ipv4Key(this.pe);
    }
    this.instance = null;
    if (f.action === 'advertise' && f.routeType === 2 && f.mac !== null) {
      const instance = this.instances.of(f);
      this.instance = instance;
      this.noteInstance(row, instance.id);
    }
  }

  /**
   * The instances the current route's RD was advertised in, for a withdrawal: how many (read them with
   * `rdInstance`), or -1 when not known (the RD had more than RD_INSTANCES, or left the table): look in every
   * instance (`instances.ids()`).
   */
  rdInstanceCount(): number {
    return this.rdRow < 0 ? -1 : this.rds.c.instanceCount[this.rdRow];
  }

  rdInstance(k: number): number {
    return this.rdInstances.c.id[this.rdInstances.slot(this.rdRow, k)];
  }

  private rdNumberOf(text: string): number {
    if (text !== this.lastRdText) {
      this.lastRdText = text;
      this.lastRdNumber = this.rdNumbers.of(text);
    }
    return this.lastRdNumber;
  }

  private noteInstance(row: number, id: number): void {
    const count = this.rds.c.instanceCount;
    const n = count[row];
    if (n < 0) return;
    const ids = this.rdInstances.c.id;
    for (let k = 0; k < n; k++) if (ids[this.rdInstances.slot(row, k)] === id) return;
    if (n >= RD_INSTANCES) count[row] = -1;
    else {
      ids[this.rdInstances.slot(row, n)] = id;
      count[row] = n + 1;
    }
  }
}
