import { describe, expect, it, vi } from 'vitest';
import { AlphaHistory } from '../src/app/editor/alpha-brush';
import { dragToBox, MIN_DRAG } from '../src/app/editor/box-tool';
import { HostedClient, isNoSubject, refusal, REMOVE_PATH } from '../src/app/hosted/client';
import {
  formatSubjectBox,
  parseSubjectBox,
  pixelBox,
  placeSubjectBox,
  wholeImage,
} from '../src/shared/subject-box';
import type { DecodedImage } from '../src/worker/image-codec';
import { toInputTensor } from '../src/worker/pixels/preprocess';
import { maskImage } from '../src/worker/subject-mask';

const ISNET = { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] } as const;
const signal = new AbortController().signal;

describe('the subject box as text', () => {
  it('writes the server’s roi form, x1 y1 x2 y2, and reads it back', () => {
    const box = pixelBox(10, 20, 109, 69);
    expect(formatSubjectBox(box)).toBe('10 20 109 69');
    expect(parseSubjectBox(formatSubjectBox(box))).toEqual(box);
    expect(formatSubjectBox(parseSubjectBox('12.5%,0% 40PX, -3'))).toBe('12.5% 0% 40 -3');
  });

  it('ignores a separator at the end, as the Java library does', () => {
    expect(parseSubjectBox(' 1, 2, 30, 40, ')).toEqual(pixelBox(1, 2, 30, 40));
  });

  it('refuses pixels that are not whole, and pixels beyond Java’s int', () => {
    expect(() => pixelBox(0.5, 0, 20, 20)).toThrow('whole pixels');
    expect(() => parseSubjectBox('0,0,20,2147483648')).toThrow('whole pixels');
    expect(() => parseSubjectBox('0,0,20,NaN%')).toThrow('whole pixels');
    expect(() => parseSubjectBox('0,0,20,1e999%')).toThrow('whole pixels');
  });

  it('checks a box that came over the bridge before placing it', () => {
    const forged = { ...pixelBox(0, 0, 20, 20), x2: { value: Number.NaN, percent: false } };
    expect(() => placeSubjectBox(forged, 100, 100)).toThrow('whole pixels');
  });
});

describe('dragToBox (a drag on the picture → image pixels, corners inclusive)', () => {
  // a 400×300 image shown at half size, 200×150 CSS pixels, at (50, 100) on the page
  const frame = { left: 50, top: 100, width: 200, height: 150 };

  it('scales CSS pixels to image pixels and takes every pixel under the rectangle', () => {
    const box = dragToBox({ x: 60, y: 110 }, { x: 110.25, y: 160 }, frame, 400, 300);
    // x: 10 → 20, 60.25 → 120.5 (pixel 120 is under it); y: 10 → 20, 60 → 120 (only its edge)
    expect(box).toEqual({ x1: 20, y1: 20, x2: 120, y2: 119 });
  });

  it('takes the corners in any order: a drag up and to the left is the same box', () => {
    const forward = dragToBox({ x: 60, y: 110 }, { x: 110, y: 160 }, frame, 400, 300);
    const back = dragToBox({ x: 110, y: 160 }, { x: 60, y: 110 }, frame, 400, 300);
    expect(back).toEqual(forward);
  });

  it('clamps a drag that leaves the picture to its edges', () => {
    expect(dragToBox({ x: 20, y: 50 }, { x: 900, y: 900 }, frame, 400, 300)).toEqual({
      x1: 0,
      y1: 0,
      x2: 399,
      y2: 299,
    });
  });

  it('scales each axis by its own ratio', () => {
    const squeezed = { left: 0, top: 0, width: 100, height: 300 };
    expect(dragToBox({ x: 10, y: 30 }, { x: 50, y: 150 }, squeezed, 400, 300)).toEqual({
      x1: 40,
      y1: 30,
      x2: 199,
      y2: 149,
    });
  });

  it('is no box for a drag under 4 CSS pixels, however large the image', () => {
    expect(MIN_DRAG).toBe(4);
    expect(dragToBox({ x: 60, y: 110 }, { x: 62, y: 112 }, frame, 40_000, 30_000)).toBeUndefined();
    expect(dragToBox({ x: 60, y: 110 }, { x: 64, y: 110 }, frame, 400, 300)).toBeDefined();
  });
});

/** A 60×40 image whose red is 4·x and green 4·y: a tensor shows exactly where it was cropped. */
function coordinateImage(): DecodedImage {
  const width = 60;
  const height = 40;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgba.set([4 * x, 4 * y, 77, 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

describe('the worker’s pipeline on a subject box (crop → network → placement)', () => {
  const image = coordinateImage();
  // 20×20 box, context round(2.0) = 2: the network sees x 18..41, y 8..31, a 24×24 region; an
  // input size of 24 makes both resizes the identity, so every value can be checked exactly
  const placement = placeSubjectBox(parseSubjectBox('20,10,39,29'), image.width, image.height);
  const inputSize = 24;

  it('divides an image-max model’s input by the largest value of the region, not the image', async () => {
    // the region's largest value is red 4·41 = 164; the whole image's would be 4·59 = 236
    const seen: Float32Array[] = [];
    const infer = async (tensor: Float32Array) => {
      seen.push(tensor);
      return new Float32Array(inputSize * inputSize).fill(0.75);
    };
    const norm = { mean: [0, 0, 0], std: [1, 1, 1], inputScale: 'image-max' } as const;
    await maskImage(signal, image, placement, inputSize, norm, infer);
    expect(seen[0]![inputSize - 1]).toBeCloseTo(1, 6);
    expect(seen[0]![0]).toBeCloseTo(72 / 164, 6);
  });

  it('feeds the network an exact crop of the region', async () => {
    expect(placement).toEqual({
      box: { x: 20, y: 10, width: 20, height: 20 },
      region: { x: 18, y: 8, width: 24, height: 24 },
    });
    const seen: Float32Array[] = [];
    const infer = vi.fn(async (tensor: Float32Array) => {
      seen.push(tensor);
      return new Float32Array(inputSize * inputSize).fill(0.75);
    });
    await maskImage(signal, image, placement, inputSize, ISNET, infer);
    const plane = inputSize * inputSize;
    const tensor = seen[0]!;
    for (let y = 0; y < inputSize; y++) {
      for (let x = 0; x < inputSize; x++) {
        expect(tensor[y * inputSize + x]).toBeCloseTo((4 * (x + 18)) / 255 - 0.5, 6);
        expect(tensor[plane + y * inputSize + x]).toBeCloseTo((4 * (y + 8)) / 255 - 0.5, 6);
      }
    }
  });

  it('puts the mask back in place: the network’s values inside the box, 0 everywhere else', async () => {
    // the network answers with its own coordinates: region pixel (x, y) says (x + 100 y) / 10⁴
    const answer = new Float32Array(inputSize * inputSize).map((_, i) => {
      const x = i % inputSize;
      return (x + 100 * ((i - x) / inputSize)) / 1e4;
    });
    const { mask } = await maskImage(
      signal,
      image,
      placement,
      inputSize,
      ISNET,
      async () => answer,
    );
    expect(mask.length).toBe(image.width * image.height);
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const inBox = x >= 20 && x <= 39 && y >= 10 && y <= 29;
        const expected = inBox ? (x - 18 + 100 * (y - 8)) / 1e4 : 0;
        expect(mask[y * image.width + x]).toBeCloseTo(expected, 6);
      }
    }
  });

  it('counts the no-subject share against the box, not the image', async () => {
    // one opaque region pixel inside the box: 1 of the box's 400 pixels is enough (≥ 1), but a
    // mask with nothing opaque inside the box has no subject even if the context is all subject
    const inside = new Float32Array(inputSize * inputSize);
    inside[5 * inputSize + 5] = 1;
    const context = new Float32Array(inputSize * inputSize).fill(1);
    for (let y = 2; y <= 21; y++) context.fill(0, y * inputSize + 2, y * inputSize + 22);
    const run = (answer: Float32Array) =>
      maskImage(signal, image, placement, inputSize, ISNET, async () => answer);
    expect((await run(inside)).subject).toBe(true);
    expect((await run(context)).subject).toBe(false);
  });

  it('with the whole image as box is the plain pipeline, bit for bit', async () => {
    const answer = new Float32Array(16 * 16).map((_, i) => ((i * 7919) % 1000) / 999);
    const plain = await maskImage(
      signal,
      image,
      wholeImage(image.width, image.height),
      16,
      ISNET,
      async (tensor) => {
        expect(tensor).toEqual(toInputTensor(image.rgba, image.width, image.height, 16, ISNET));
        return answer;
      },
    );
    const boxed = await maskImage(
      signal,
      image,
      placeSubjectBox(parseSubjectBox('0% 0% 100% 100%'), image.width, image.height),
      16,
      ISNET,
      async () => answer,
    );
    expect(boxed.mask).toEqual(plain.mask);
    expect(boxed.subject).toBe(plain.subject);
  });

  it('stops after the network when the run was cancelled', async () => {
    const controller = new AbortController();
    const run = maskImage(controller.signal, image, placement, inputSize, ISNET, async () => {
      controller.abort();
      return new Float32Array(inputSize * inputSize);
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('a new mask in the editor’s history', () => {
  it('is one undo step, kept as the rectangle where the masks differ', () => {
    const alpha = new Uint8ClampedArray(6 * 4).fill(9);
    const history = new AlphaHistory(alpha, 6);
    const next = new Uint8ClampedArray(alpha);
    next[1 * 6 + 4] = 200;
    next[2 * 6 + 1] = 0;
    expect(history.replace(next)).toEqual({ x: 1, y: 1, width: 4, height: 2 });
    expect(alpha).toEqual(next);
    expect(history.canUndo).toBe(true);
    history.undo();
    expect([...alpha]).toEqual(new Array(24).fill(9));
    history.redo();
    expect(alpha).toEqual(next);
  });

  it('is no step when nothing changed', () => {
    const alpha = new Uint8ClampedArray(16).fill(3);
    const history = new AlphaHistory(alpha, 4);
    expect(history.replace(new Uint8ClampedArray(alpha))).toBeUndefined();
    expect(history.canUndo).toBe(false);
  });
});

describe('a subject box on the hosted path', () => {
  const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
  const png = () =>
    new Response(new Uint8Array([0x89]), { headers: { 'Content-Type': 'image/png' } });

  it('sends the image and the box as form fields file and roi', async () => {
    const calls: RequestInit[] = [];
    const client = new HostedClient({
      fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
        calls.push(init ?? {});
        return png();
      }) as typeof fetch,
    });
    await client.remove(signal, photo, 'isnet-uint8', pixelBox(10, 20, 109, 69));
    const form = calls[0]!.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(form.get('roi')).toBe('10 20 109 69');
    const file = form.get('file') as File;
    expect(file.name).toBe('image');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    // the browser writes multipart's Content-Type with its boundary: none of our own
    expect(calls[0]!.headers).toEqual({ Accept: 'image/png' });
  });

  it('sends the raw body, as before, without a box', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const client = new HostedClient({
      fetch: (async (url: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: String(url), init: init ?? {} });
        return png();
      }) as typeof fetch,
    });
    await client.remove(signal, photo, undefined);
    expect(calls[0]!.url).toBe(REMOVE_PATH);
    expect(calls[0]!.init.body).toBe(photo);
  });

  it('knows the server’s no-subject refusal', async () => {
    const answer = Response.json(
      { error: { code: 'no_subject', message: 'no subject found' } },
      { status: 422 },
    );
    expect(isNoSubject(await refusal(answer, 0))).toBe(true);
    expect(isNoSubject(new Error('no_subject'))).toBe(false);
  });
});
