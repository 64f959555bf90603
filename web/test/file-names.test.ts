import { describe, expect, it } from 'vitest';
import { cutoutName, uniqueNames } from '../src/app/file-names';
import { formatBytes, formatMs } from '../src/app/units';

describe('output file names', () => {
  it('replaces the extension with .cutout.png', () => {
    expect(cutoutName('holiday.jpg')).toBe('holiday.cutout.png');
    expect(cutoutName('my.photo.HEIC')).toBe('my.photo.cutout.png');
    expect(cutoutName('noext')).toBe('noext.cutout.png');
    expect(cutoutName('.hidden')).toBe('.hidden.cutout.png');
    expect(cutoutName('')).toBe('image.cutout.png');
  });

  it('numbers duplicates inside a ZIP', () => {
    expect(uniqueNames(['a.png', 'b.png', 'a.png', 'a.png'])).toEqual([
      'a.png',
      'b.png',
      'a-2.png',
      'a-3.png',
    ]);
  });

  it('formats sizes and durations for the page', () => {
    expect(formatBytes(44_342_436)).toBe('42.3 MB');
    expect(formatMs(250.4)).toBe('250 ms');
    expect(formatMs(2450)).toBe('2.45 s');
  });
});
