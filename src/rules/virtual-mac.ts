// Well-known FHRP virtual MAC ranges, for recognising a virtual MAC before (or without) seeing a hello.

/** VRRP IPv4 00:00:5e:00:01:XX and IPv6 00:00:5e:00:02:XX (RFC 5798 §7.3). */
const VRRP4 = 0x00005e0001;
const VRRP6 = 0x00005e0002;
/** HSRP v1 00:00:0c:07:ac:XX; v2 00:00:0c:9f:fX:XX; IPv6 00:05:73:a0:0X:XX (Cisco). */
const HSRP1 = 0x00000c07ac;
const HSRP2 = 0x00000c9ff;
const HSRP6 = 0x000573a00;

/** GLBP 00:07:b4:XX:XX:YY — 6 zero bits, the 10-bit group, the forwarder number (Cisco; up to 4 forwarders). */
const GLBP = 0x0007b4;

export function isFhrpVirtualMac(mac: number): boolean {
  const top40 = Math.floor(mac / 0x100);
  const top36 = Math.floor(mac / 0x1000);
  return top40 === VRRP4 || top40 === VRRP6 || top40 === HSRP1 || top36 === HSRP2 || top36 === HSRP6 || isGlbpVirtualMac(mac);
}

/** A GLBP virtual forwarder MAC (0007.b400.0000 – 0007.b403.ffff). */
export function isGlbpVirtualMac(mac: number): boolean {
  return Math.floor(mac / 0x1000000) === GLBP && Math.floor(mac / 0x100) % 0x10000 < 0x400;
}

/**
 * The virtual MAC of forwarder `forwarder` of GLBP group `group`. Several of them for one gateway IP are the design
 * (the AVG hands each host another forwarder), never a duplicate: duplicate-gateway-mac excludes them with this.
 */
export function glbpForwarderMac(group: number, forwarder: number): number {
  return GLBP * 0x1000000 + (group & 0x3ff) * 0x100 + (forwarder & 0xff);
}

/** Whether `mac` is a forwarder MAC of GLBP group `group`. */
export function isGlbpForwarderOf(mac: number, group: number): boolean {
  return isGlbpVirtualMac(mac) && Math.floor(mac / 0x100) % 0x10000 === (group & 0x3ff);
}
