/** One Server-Sent Events frame: its ``id:``, ``event:`` and ``data:`` lines (comments dropped). */
export interface EventFrame {
  id?: string;
  event?: string;
  data?: string;
}

/** The complete frames at the start of ``text`` (each ends with a blank line) and what is left
 *  over, to be completed by the next chunk. A frame of comments only (a heartbeat) is dropped. */
export function parseFrames(text: string): { frames: EventFrame[]; rest: string } {
  const blocks = text.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const frames = blocks.map((block) => {
    const frame: EventFrame = {};
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;  // a comment (":heartbeat") or an empty line
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id' || field === 'event') frame[field] = value;
      else if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    }
    return frame;
  }).filter((frame) => Object.keys(frame).length > 0);
  return { frames, rest };
}
