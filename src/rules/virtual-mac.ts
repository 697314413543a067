// Well-known FHRP virtual MAC ranges, for recognising a virtual MAC before (or without) seeing a hello.

/** VRRP IPv4 00:00:5e:00:01:XX and IPv6 00:00:5e:00:02:XX (RFC 5798 §7.3). */
const VRRP4 = 0x00005e0001;
const VRRP6 = 0x00005e0002;
/** HSRP v1 00:00:0c:07:ac:XX; v2 00:00:0c:9f:fX:XX; IPv6 00:05:73:a0:0X:XX (Cisco). */
const HSRP1 = 0x00000c07ac;
const HSRP2 = 0x00000c9ff;
const HSRP6 = 0x000573a00;

export function isFhrpVirtualMac(mac: number): boolean {
  const top40 = Math.floor(mac / 0x100);
  const top36 = Math.floor(mac / 0x1000);
  return top40 === VRRP4 || top40 === VRRP6 || top40 === HSRP1 || top36 === HSRP2 || top36 === HSRP6;
}
