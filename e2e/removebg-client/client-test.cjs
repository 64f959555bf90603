'use strict';
// The remove.bg npm client (remove.bg@1.3.0, installed from the lockfile, not modified) against a
// local Cutout server. Run as
//
//   CUTOUT_PORT=… CUTOUT_KEY=… CUTOUT_PHOTOS=…/testdata/photos CUTOUT_OUT=… \
//     node --require ./redirect.cjs client-test.cjs
//
// redirect.cjs sends the client's https://api.remove.bg requests to 127.0.0.1:$CUTOUT_PORT. Each
// check prints "ok N - name: …" or "not ok N - name: why" (TAP's form); the exit status is 0 only
// when every check passed. Some results are written to $CUTOUT_OUT for the Java test to look at
// pixel by pixel (RemoveBgClientTest).

const fs = require('node:fs');
const path = require('node:path');
const { exchanges } = require('./redirect.cjs');
const removeBg = require('remove.bg');

const key = required('CUTOUT_KEY');
const photos = required('CUTOUT_PHOTOS');
const out = required('CUTOUT_OUT');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name}`);
  }
  return value;
}

function photo(name) {
  return path.join(photos, name);
}

function expect(condition, what) {
  if (!condition) {
    throw new Error(what);
  }
}

/** Width, height and colour type (0 grey, 2 RGB, 6 RGBA) from a PNG's IHDR. */
function png(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect(
    bytes.length > 26 &&
      signature.every((b, i) => bytes[i] === b) &&
      bytes.toString('latin1', 12, 16) === 'IHDR',
    'the result is not a PNG',
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes[25] };
}

/** Width and height from a JPEG's start-of-frame segment. */
function jpeg(bytes) {
  expect(bytes[0] === 0xff && bytes[1] === 0xd8, 'the result is not a JPEG');
  for (let at = 2; at + 9 < bytes.length; at += 2 + bytes.readUInt16BE(at + 2)) {
    expect(bytes[at] === 0xff, 'malformed JPEG segments');
    const marker = bytes[at + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
  }
  throw new Error('the JPEG has no frame header');
}

/** The image the client resolved with, as bytes. */
function bytesOf(result) {
  expect(typeof result.base64img === 'string' && result.base64img.length > 0, 'no base64img');
  return Buffer.from(result.base64img, 'base64');
}

/** The fields the client read from the answer's headers. */
function checkClientFields(result, width, height) {
  expect(Number(result.resultWidth) === width, `resultWidth ${result.resultWidth}, not ${width}`);
  expect(
    Number(result.resultHeight) === height,
    `resultHeight ${result.resultHeight}, not ${height}`,
  );
  expect(result.detectedType === 'other', `detectedType ${result.detectedType}`);
  expect(Number(result.creditsCharged) === 0, `creditsCharged ${result.creditsCharged}`);
  expect(Number(result.rateLimit) > 0, `rateLimit ${result.rateLimit}`);
  expect(Number(result.rateLimitRemaining) >= 0, `rateLimitRemaining ${result.rateLimitRemaining}`);
  const now = Date.now() / 1000;
  const reset = Number(result.rateLimitReset);
  expect(reset >= now - 120 && reset <= now + 3600, `rateLimitReset ${result.rateLimitReset}`);
}

/**
 * The foreground box of the last answer. remove.bg@1.3.0 drops it (its result has no such field),
 * so it is read from the exchange redirect.cjs recorded: the JSON's foreground_* and the
 * X-Foreground-* headers must agree and lie inside the image.
 */
function foreground(width, height) {
  const last = exchanges[exchanges.length - 1];
  expect(last && last.status === 200, 'no successful exchange recorded');
  const data = JSON.parse(last.body.toString('utf8')).data;
  const box = {
    top: data.foreground_top,
    left: data.foreground_left,
    width: data.foreground_width,
    height: data.foreground_height,
  };
  for (const side of ['top', 'left', 'width', 'height']) {
    expect(Number.isInteger(box[side]), `foreground_${side} missing`);
    expect(
      Number(last.headers[`x-foreground-${side}`]) === box[side],
      `X-Foreground-${side} ${last.headers[`x-foreground-${side}`]} differs from the JSON's ${box[side]}`,
    );
  }
  expect(box.width > 0 && box.height > 0, 'empty foreground');
  expect(
    box.left + box.width <= width && box.top + box.height <= height,
    'foreground outside the image',
  );
  return box;
}

function describe(box) {
  return `foreground ${box.left},${box.top} ${box.width}x${box.height}`;
}

/** The client's rejection: an array of remove.bg errors, { title, code }. */
async function rejection(promise) {
  try {
    await promise;
  } catch (errors) {
    expect(
      Array.isArray(errors) && errors.length > 0,
      `not an error array: ${JSON.stringify(errors)}`,
    );
    expect(typeof errors[0].title === 'string' && errors[0].title.length > 0, 'no title');
    return errors;
  }
  throw new Error('the call succeeded');
}

const checks = [
  [
    'file upload',
    async () => {
      const outputFile = path.join(out, 'file.png');
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('chelsea.png'),
        apiKey: key,
        size: 'full',
        outputFile,
      });
      const image = png(bytesOf(result));
      expect(image.colourType === 6, `colour type ${image.colourType}, not RGBA`);
      expect(image.width === 451 && image.height === 300, `${image.width}x${image.height}`);
      checkClientFields(result, 451, 300);
      expect(
        fs.readFileSync(outputFile).equals(bytesOf(result)),
        'outputFile differs from base64img',
      );
      return `451x300 RGBA PNG, detectedType other, ${describe(foreground(451, 300))}`;
    },
  ],
  [
    'base64 upload',
    async () => {
      const result = await removeBg.removeBackgroundFromImageBase64({
        base64img: fs.readFileSync(photo('coffee.png')).toString('base64'),
        apiKey: key,
        size: 'full',
      });
      const image = png(bytesOf(result));
      expect(image.colourType === 6, `colour type ${image.colourType}, not RGBA`);
      expect(image.width === 600 && image.height === 400, `${image.width}x${image.height}`);
      checkClientFields(result, 600, 400);
      return `600x400 RGBA PNG, ${describe(foreground(600, 400))}`;
    },
  ],
  [
    'size=preview',
    async () => {
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('rocket.jpg'),
        apiKey: key,
        size: 'preview',
      });
      const image = png(bytesOf(result));
      expect(
        image.width * image.height <= 250000,
        `${image.width}x${image.height} is over 0.25 MP`,
      );
      expect(
        image.width === 612 && image.height === 408,
        `${image.width}x${image.height}, not 612x408`,
      );
      checkClientFields(result, 612, 408);
      return `640x427 became ${image.width}x${image.height}, ${describe(foreground(612, 408))}`;
    },
  ],
  [
    'crop',
    async () => {
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('coffee.png'),
        apiKey: key,
        size: 'full',
        crop: true,
      });
      const image = png(bytesOf(result));
      expect(
        image.width < 600 || image.height < 400,
        `not cropped: ${image.width}x${image.height}`,
      );
      checkClientFields(result, image.width, image.height);
      const box = foreground(image.width, image.height);
      // the crop keeps every pixel above alpha 8/255, the box those of at least half: the faint
      // edge between them is thin
      expect(
        box.width >= 0.9 * image.width && box.height >= 0.9 * image.height,
        `the subject (${describe(box)}) does not fill the ${image.width}x${image.height} crop`,
      );
      return `${image.width}x${image.height}, ${describe(box)}`;
    },
  ],
  [
    'bg_color',
    async () => {
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('coffee.png'),
        apiKey: key,
        size: 'full',
        bg_color: '81d4fa',
      });
      const bytes = bytesOf(result);
      // no transparency left, so format=auto (the client sends no format) answers JPEG
      const image = jpeg(bytes);
      expect(image.width === 600 && image.height === 400, `${image.width}x${image.height}`);
      checkClientFields(result, 600, 400);
      fs.writeFileSync(path.join(out, 'bg_color.jpg'), bytes);
      return `600x400 JPEG on 81d4fa, ${describe(foreground(600, 400))}`;
    },
  ],
  [
    'roi',
    async () => {
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('chelsea.png'),
        apiKey: key,
        size: 'full',
        roi: '0px 0px 80% 100%',
      });
      const bytes = bytesOf(result);
      const image = png(bytes);
      expect(image.colourType === 6 && image.width === 451, `${image.width}x${image.height}`);
      const box = foreground(451, 300);
      // 80% of 451 is column 360: nothing right of it can be foreground
      expect(box.left + box.width <= 361, `foreground reaches column ${box.left + box.width - 1}`);
      fs.writeFileSync(path.join(out, 'roi.png'), bytes);
      return `451x300, ${describe(box)}, nothing right of column 360`;
    },
  ],
  [
    'channels=alpha',
    async () => {
      const result = await removeBg.removeBackgroundFromImageFile({
        path: photo('coffee.png'),
        apiKey: key,
        size: 'full',
        channels: 'alpha',
      });
      const bytes = bytesOf(result);
      const image = png(bytes);
      expect(image.colourType === 0, `colour type ${image.colourType}, not grey`);
      expect(image.width === 600 && image.height === 400, `${image.width}x${image.height}`);
      fs.writeFileSync(path.join(out, 'alpha.png'), bytes);
      return `600x400 grey PNG, ${describe(foreground(600, 400))}`;
    },
  ],
  [
    'invalid key',
    async () => {
      const errors = await rejection(
        removeBg.removeBackgroundFromImageFile({ path: photo('coffee.png'), apiKey: 'not-a-key' }),
      );
      expect(errors[0].code === 'auth_failed', `code ${errors[0].code}`);
      const status = exchanges[exchanges.length - 1].status;
      expect(status === 403, `status ${status}`);
      return `403, errors[0] = ${JSON.stringify(errors[0])}`;
    },
  ],
  [
    'image_url off by default',
    async () => {
      const errors = await rejection(
        removeBg.removeBackgroundFromImageUrl({
          url: 'https://example.com/photo.jpg',
          apiKey: key,
        }),
      );
      expect(errors[0].code === 'invalid_image_url', `code ${errors[0].code}`);
      return `400, errors[0].code = ${errors[0].code}`;
    },
  ],
];

async function main() {
  let failed = 0;
  for (const [index, [name, run]] of checks.entries()) {
    try {
      console.log(`ok ${index + 1} - ${name}: ${await run()}`);
    } catch (e) {
      failed++;
      console.log(
        `not ok ${index + 1} - ${name}: ${e && e.message ? e.message : JSON.stringify(e)}`,
      );
    }
  }
  console.log(`# ${checks.length} checks, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
