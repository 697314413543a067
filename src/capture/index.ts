// The capture room's public face: CaptureInput for files/stdin/streams, CaptureParser for bytes already in hand.
export * from './types.js';
export { CaptureInput, DEFAULT_CHUNK_SIZE } from './input.js';
export { CaptureParser, DEFAULT_MAX_RECORD_BYTES } from './parser.js';
