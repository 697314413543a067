// Why a payload was not opened, for the IP layers (the EtherType chain and the tunnels set their own reasons):
// a fragment after the first has no transport header, and a few IP protocols carry whole packets or frames that
// gwcheck does not decode. Other protocols (ICMP, OSPF, PIM, ESP's peers …) carry nothing a gateway rule reads
// and are not counted.
import type { Cursor } from './cursor.js';
import { NOT_OPENED_FRAGMENT, NOT_OPENED_IP_PROTOCOL } from './types.js';

/** IP protocols that carry packets or frames: IP-in-IP (4), IPv6-in-IP (41), ESP (50), EtherIP (97), L2TPv3 (115), MPLS-in-IP (137). */
const CARRIERS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const p of [4, 41, 50, 97, 115, 137]) table[p] = 1;
  return table;
})();

export function notOpenedIp(cur: Cursor, fragmentOffset: number, protocol: number): void {
  if (fragmentOffset !== 0) cur.notOpened = NOT_OPENED_FRAGMENT;
  else if (CARRIERS[protocol] === 1) cur.notOpened = NOT_OPENED_IP_PROTOCOL;
}
