// Baseline (a): pcap-parser 0.2.1 iterating every packet of the same file (the design card's parser).
import pcapParser from 'pcap-parser';

const parser = pcapParser.parse(process.argv[2]);
let packets = 0;
let bytes = 0;
parser.on('packet', (packet) => {
  packets++;
  bytes += packet.data[12];
});
parser.on('end', () => process.stdout.write(`${packets} ${bytes}\n`));
parser.on('error', (err) => {
  process.stderr.write(String(err) + '\n');
  process.exitCode = 1;
});
