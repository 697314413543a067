// What a capture says about its frames beside their bytes — packet comments ("blackhole?", written by a Wireshark
// user) and the interface each frame came in on — kept per input so a finding's evidence can show them. Bounded:
// comments are rare; interface ids per frame are kept in one typed array, only once a second interface appears.
import type { CaptureRecord } from './capture/types.js';

/** Comments kept per input; a capture with more is rare (and its later comments are not shown). */
const MAX_COMMENTS = 100_000;
/** Frames whose interface is tracked: above this, evidence shows no interface for later frames of multi-interface inputs. */
const MAX_TRACKED_FRAMES = 16 * 1024 * 1024;

export class FrameNotes {
  private readonly comments = new Map<number, string>();
  private readonly names = new Map<number, string>();
  /** Interface id by frame number, made when a frame on an interface other than 0 is seen. */
  private interfaceOfFrame: Uint16Array | null = null;
  private multiInterface = false;
  private untracked = false;

  add(record: CaptureRecord): void {
    if (record.comment !== undefined && this.comments.size < MAX_COMMENTS) this.comments.set(record.frame, record.comment);
    const id = record.interfaceId;
    if (record.interfaceName !== undefined && !this.names.has(id)) this.names.set(id, record.interfaceName);
    if (id === 0 && !this.multiInterface) return;
    this.multiInterface = true;
    const frame = record.frame;
    if (frame >= MAX_TRACKED_FRAMES || id > 0xffff) {
      this.untracked = true;
      return;
    }
    let table = this.interfaceOfFrame;
    if (table === null || frame >= table.length) {
      const grown = new Uint16Array(Math.min(MAX_TRACKED_FRAMES, Math.max(4096, (frame + 1) * 2)));
      if (table) grown.set(table);
      table = this.interfaceOfFrame = grown;
    }
    table[frame] = id;
  }

  /** `{ interface, comment }` of a frame, each only when known. */
  of(frame: number): { interface?: string; comment?: string } {
    const out: { interface?: string; comment?: string } = {};
    let id = 0;
    if (this.multiInterface) {
      const table = this.interfaceOfFrame;
      if (table && frame < table.length) id = table[frame];
      else if (this.untracked) id = -1;
    }
    const name = id >= 0 ? this.names.get(id) : undefined;
    if (name !== undefined) out.interface = name;
    const comment = this.comments.get(frame);
    if (comment !== undefined) out.comment = comment;
    return out;
  }
}
