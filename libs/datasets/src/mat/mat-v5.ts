/**
 * A reader for numeric variables in MATLAB 5 MAT-files (the format of the CWRU `.mat` files; also what
 * MATLAB writes with `save -v6`/`-v7`): uncompressed and zlib-compressed (miCOMPRESSED) elements, little- and
 * big-endian, real numeric matrices of any class converted to Float64Array (column-major, as stored).
 * Cell arrays, structs, chars, sparse and complex arrays are listed in `skipped` rather than decoded.
 * v7.3 files are HDF5 and are rejected.
 *
 * @example
 *   const mat = readMatV5(await readFile('105.mat'));
 *   const de = mat.variables.get('X105_DE_time');   // { dims: [121265, 1], className: 'double', data }
 */
import { inflateSync } from 'node:zlib';

export interface MatVariable {
  name: string;
  dims: number[];
  className: string;
  /** Values in column-major order. */
  data: Float64Array;
}

export interface MatFile {
  header: string;
  variables: Map<string, MatVariable>;
  /** Variables present but not decoded, with their class. */
  skipped: { name: string; className: string }[];
}

export class MatFormatError extends Error {
  override readonly name = 'MatFormatError';
}

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15 } as const;
const CLASS_NAMES = [
  '',
  'cell',
  'struct',
  'object',
  'char',
  'sparse',
  'double',
  'single',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
];
const NUMERIC_CLASSES = new Set(['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);
const COMPLEX_FLAG = 0x0800;

interface Element {
  type: number;
  body: DataView;
  /** Offset of the next element. */
  next: number;
}

function readElement(view: DataView, offset: number, little: boolean): Element {
  const first = view.getUint32(offset, little);
  if (first >>> 16 !== 0) {
    // Small data element: type and size share the first word, up to 4 bytes of data follow.
    const size = first >>> 16;
    return { type: first & 0xffff, body: new DataView(view.buffer, view.byteOffset + offset + 4, size), next: offset + 8 };
  }
  const size = view.getUint32(offset + 4, little);
  if (offset + 8 + size > view.byteLength) throw new MatFormatError(`element at byte ${offset} runs past the end of the file`);
  const body = new DataView(view.buffer, view.byteOffset + offset + 8, size);
  // Elements are padded to 8 bytes, except compressed ones, which MATLAB writes back to back.
  const padding = first === MI.COMPRESSED ? 0 : (8 - (size % 8)) % 8;
  return { type: first, body, next: offset + 8 + size + padding };
}

function numbers(element: Element, little: boolean): Float64Array {
  const { body, type } = element;
  const readers: Record<number, [number, (o: number) => number]> = {
    [MI.INT8]: [1, (o) => body.getInt8(o)],
    [MI.UINT8]: [1, (o) => body.getUint8(o)],
    [MI.INT16]: [2, (o) => body.getInt16(o, little)],
    [MI.UINT16]: [2, (o) => body.getUint16(o, little)],
    [MI.INT32]: [4, (o) => body.getInt32(o, little)],
    [MI.UINT32]: [4, (o) => body.getUint32(o, little)],
    [MI.SINGLE]: [4, (o) => body.getFloat32(o, little)],
    [MI.DOUBLE]: [8, (o) => body.getFloat64(o, little)],
    [MI.INT64]: [8, (o) => Number(body.getBigInt64(o, little))],
    [MI.UINT64]: [8, (o) => Number(body.getBigUint64(o, little))],
  };
  const reader = readers[type];
  if (!reader) throw new MatFormatError(`unsupported numeric data type ${type}`);
  const [width, read] = reader;
  return Float64Array.from({ length: Math.floor(body.byteLength / width) }, (_, i) => read(i * width));
}

function readMatrix(body: DataView, little: boolean, file: MatFile): void {
  const flags = readElement(body, 0, little);
  const flagWord = flags.body.getUint32(0, little);
  const className = CLASS_NAMES[flagWord & 0xff] ?? `class ${flagWord & 0xff}`;
  const dimsElement = readElement(body, flags.next, little);
  const dims = Array.from(numbers(dimsElement, little));
  const nameElement = readElement(body, dimsElement.next, little);
  const name = new TextDecoder('latin1').decode(new Uint8Array(nameElement.body.buffer, nameElement.body.byteOffset, nameElement.body.byteLength));
  if (!NUMERIC_CLASSES.has(className) || flagWord & COMPLEX_FLAG) {
    file.skipped.push({ name, className: flagWord & COMPLEX_FLAG ? `complex ${className}` : className });
    return;
  }
  const data = numbers(readElement(body, nameElement.next, little), little);
  const expected = dims.reduce((p, d) => p * d, 1);
  if (data.length !== expected) throw new MatFormatError(`${name}: ${data.length} values for dimensions ${dims.join('×')}`);
  file.variables.set(name, { name, dims, className, data });
}

export function readMatV5(bytes: Uint8Array): MatFile {
  if (bytes.byteLength < 128) throw new MatFormatError('too short for a MAT-file header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116)).trimEnd();
  if (!header.startsWith('MATLAB 5.0 MAT-file'))
    throw new MatFormatError(header.startsWith('MATLAB 7.3') ? 'MAT v7.3 (HDF5) is not supported' : 'not a MATLAB 5 MAT-file');
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') throw new MatFormatError(`bad endian indicator "${endian}"`);
  const little = endian === 'IM';
  const file: MatFile = { header, variables: new Map(), skipped: [] };
  const parse = (view: DataView) => {
    let offset = 0;
    while (offset + 8 <= view.byteLength) {
      const element = readElement(view, offset, little);
      if (element.type === MI.COMPRESSED) {
        const inflated = inflateSync(new Uint8Array(element.body.buffer, element.body.byteOffset, element.body.byteLength));
        parse(new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength));
      } else if (element.type === MI.MATRIX) readMatrix(element.body, little, file);
      offset = element.next;
    }
  };
  parse(new DataView(bytes.buffer, bytes.byteOffset + 128, bytes.byteLength - 128));
  return file;
}
