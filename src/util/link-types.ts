// Names for LINKTYPE_* numbers, for messages only (tcpdump's link-type registry).
const NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  9: 'PPP',
  101: 'RAW',
  104: 'C_HDLC',
  105: 'IEEE802_11',
  107: 'FRELAY',
  113: 'LINUX_SLL',
  127: 'IEEE802_11_RADIOTAP',
  228: 'IPV4',
  229: 'IPV6',
  239: 'NFLOG',
  242: 'IPOIB',
  276: 'LINUX_SLL2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? (linkType >= 147 && linkType <= 162 ? `USER${linkType - 147}` : `LINKTYPE_${linkType}`);
}
