import { describe, expect, it } from 'vitest';
import { idMonth, parseArxivId } from './arxiv-id.js';

describe('parseArxivId', () => {
  it.each([
    ['2405.15738', '2405.15738', null],
    ['2405.15738v2', '2405.15738', 2],
    ['arXiv:2405.15738v3', '2405.15738', 3],
    ['0704.0001', '0704.0001', null],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['hep-th/9901001v1', 'hep-th/9901001', 1],
    ['math.GT/0309136', 'math/0309136', null],
    ['https://arxiv.org/abs/2405.15738v2', '2405.15738', 2],
    ['http://arxiv.org/pdf/2405.15738', '2405.15738', null],
    ['https://arxiv.org/pdf/2405.15738v1.pdf', '2405.15738', 1],
    ['arxiv.org/abs/hep-th/9901001', 'hep-th/9901001', null],
    ['https://export.arxiv.org/abs/1707.08567?context=cs', '1707.08567', null],
    ['  2405.15738  ', '2405.15738', null],
  ])('%s -> %s v%s', (input, id, version) => {
    expect(parseArxivId(input)).toEqual({ id, version });
  });

  it.each(['', 'hello', '2405.1573', '2413.15738', '1412.12345', '1501.1234', 'HEP-TH/9901001', 'https://example.org/abs/2405.15738', '2405.15738v'])(
    'rejects %j',
    (input) => {
      expect(parseArxivId(input)).toBeNull();
    },
  );
});

describe('idMonth', () => {
  it('reads the year and month from new and old ids', () => {
    expect(idMonth('2405.15738')).toBe('2024-05');
    expect(idMonth('hep-th/9901001')).toBe('1999-01');
    expect(idMonth('0704.0001')).toBe('2007-04');
  });
});
