// The decode room's public surface.
export { FrameDecoder } from './frame.js';
export { describeLayers, summarizeFrame, domainText } from './describe.js';
export * from './types.js';
