import { parseFrames } from './event-frames';

describe('parseFrames', () => {
  it('reads whole frames and keeps the unfinished one for the next chunk', () => {
    const first = parseFrames('id: 7\nevent: order.placed\ndata: {"orderId":"a"}\n\n: heartbeat\n\nid: 8\nevent: order');
    expect(first.frames).toEqual([{ id: '7', event: 'order.placed', data: '{"orderId":"a"}' }]);
    const second = parseFrames(`${first.rest}.paid\ndata: {}\n\n`);
    expect(second.frames).toEqual([{ id: '8', event: 'order.paid', data: '{}' }]);
    expect(second.rest).toBe('');
  });

  it('joins data lines and accepts CRLF', () => {
    expect(parseFrames('data: a\r\ndata: b\r\n\r\n').frames).toEqual([{ data: 'a\nb' }]);
  });
});
