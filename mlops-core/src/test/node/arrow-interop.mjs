// Arrow JS side of mlops-core's ArrowJsInteropTest: a second Arrow implementation for the library's
// Arrow IPC files and streams.
//
//   node arrow-interop.mjs write <dir>           writes files and streams with Arrow JS, and expected.json
//                                                holding the values each should read as
//   node arrow-interop.mjs read <path> <file|stream>
//                                                reads one with Arrow JS and prints its schema and values
//
// Values travel as JSON in one encoding both sides share: int64 and timestamp (microseconds since the
// epoch) as decimal strings, floats as strings ("NaN", "Infinity", "-0", ...), tensors as arrays of
// float strings, booleans and strings as themselves, null as null.
import * as A from 'apache-arrow';
import fs from 'node:fs';
import path from 'node:path';

const TENSOR = 3;

function floatText(x) {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A column's value at row j, in the shared encoding. */
function encode(vector, type, j) {
  if (!vector.isValid(j)) {
    return null;
  }
  if (A.DataType.isDictionary(type)) {
    return encode(vector, type.dictionary, j);
  }
  if (A.DataType.isTimestamp(type)) {
    // get() gives milliseconds as a float, which loses microseconds: read the stored int64
    let at = j;
    for (const d of vector.data) {
      if (at < d.length) {
        return String(d.values[d.offset + at]);
      }
      at -= d.length;
    }
  }
  const v = vector.get(j);
  if (A.DataType.isFixedSizeList(type)) {
    return Array.from(v.toArray(), floatText);
  }
  if (A.DataType.isFloat(type)) {
    return floatText(v);
  }
  if (A.DataType.isInt(type)) {
    return String(v);
  }
  return v;
}

function describe(table) {
  return {
    columns: table.schema.fields.map((f) => ({
      name: f.name,
      type: String(f.type),
      nullable: f.nullable,
      metadata: Object.fromEntries(f.metadata),
    })),
    batches: table.batches.map((b) => {
      const rows = [];
      for (let j = 0; j < b.numRows; j++) {
        rows.push(b.schema.fields.map((f, i) => encode(b.getChildAt(i), f.type, j)));
      }
      return rows;
    }),
  };
}

function bitmap(valid) {
  const bits = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((ok, j) => {
    if (ok) {
      bits[j >> 3] |= 1 << (j & 7);
    }
  });
  return bits;
}

/** Arrow Data of one column from values with nulls, built directly so every byte is Arrow JS's own. */
function column(type, values) {
  const valid = values.map((v) => v !== null);
  const nullCount = valid.filter((ok) => !ok).length;
  const common = { type, length: values.length, nullCount, nullBitmap: bitmap(valid) };
  if (A.DataType.isFixedSizeList(type)) {
    const flat = new Float32Array(values.length * type.listSize);
    values.forEach((v, j) => v && flat.set(v, j * type.listSize));
    return A.makeData({ ...common, child: A.makeData({ type: type.children[0].type, length: flat.length, data: flat }) });
  }
  if (A.DataType.isUtf8(type)) {
    return A.vectorFromArray(values, type).data[0];
  }
  if (A.DataType.isBool(type)) {
    return A.makeData({ ...common, data: bitmap(values.map((v) => v === true)) });
  }
  const Array_ = type.ArrayType;
  const data = new Array_(values.length);
  values.forEach((v, j) => {
    data[j] = v === null ? (Array_ === BigInt64Array ? 0n : 0) : v;
  });
  return A.makeData({ ...common, data });
}

function table(fields, batches) {
  const schema = new A.Schema(fields);
  return new A.Table(schema, batches.map((cols) => {
    const length = cols[0].length;
    const children = fields.map((f, i) => {
      const d = cols[i];
      return A.DataType.isDictionary(f.type) ? d : column(f.type, d);
    });
    return new A.RecordBatch(schema, A.makeData({ type: new A.Struct(fields), length, children }));
  }));
}

function typesTable() {
  const fields = [
    new A.Field('id', new A.Int64(), false),
    new A.Field('x', new A.Float64(), true),
    new A.Field('f', new A.Float32(), true),
    new A.Field('ok', new A.Bool(), true),
    new A.Field('name', new A.Utf8(), true),
    new A.Field('at', new A.TimestampMicrosecond('UTC'), true),
    new A.Field('v', new A.FixedSizeList(TENSOR, new A.Field('element', new A.Float32(), true)), true),
  ];
  const first = [
    [1n, -2n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n],
    [0.5, null, NaN, -0, Infinity],
    [Math.fround(0.1), -Infinity, null, 3.5, Math.fround(1e-40)],
    [true, false, null, true, false],
    ['a', '', null, 'naïve 数据 🎉', 'q"uote,\nline'],
    [1700000000123456n, null, -1n, 0n, 253402300799999999n],
    [[1, 2, 3], null, [NaN, -0, Infinity], [0.25, -0.5, 1e30], [Math.fround(0.1), 0, 0]],
  ];
  const empty = fields.map(() => []);
  const last = [
    [10n, 11n, 12n],
    [null, null, 1e300],
    [null, 0, -0],
    [null, null, null],
    [null, 'x', 'y'],
    [null, 42n, -62135596800000000n],
    [null, [4, 5, 6], null],
  ];
  return table(fields, [first, empty, last]);
}

function dictionary(valueType, indexType, values, indices) {
  const type = new A.Dictionary(valueType, indexType);
  const valid = indices.map((k) => k !== null);
  const Array_ = indexType.ArrayType;
  return A.makeData({
    type,
    length: indices.length,
    nullCount: valid.filter((ok) => !ok).length,
    nullBitmap: bitmap(valid),
    data: Array_.from(indices, (k) => (k === null ? 0 : k)),
    dictionary: values,
  });
}

function dictionaryTable() {
  // every batch shares the dictionary vectors, so a file needs no replacement dictionary
  const colors = A.vectorFromArray(['red', 'grün', '', '蓝'], new A.Utf8());
  const shades = A.vectorFromArray(['dark', null, 'light'], new A.Utf8());
  const counts = A.vectorFromArray([7n, -1n, 9007199254740993n], new A.Int64());
  const weights = A.vectorFromArray([0.5, NaN, -0], new A.Float64());
  const at = (values, k) => (k === null ? null : k % values.length);
  const batch = (idx) => [
    idx.map((k) => (k === null ? null : BigInt(k))),
    dictionary(new A.Utf8(), new A.Int32(), colors, idx.map((k) => at(colors, k))),
    dictionary(new A.Utf8(), new A.Uint8(), shades, idx.map((k) => at(shades, k === null ? 1 : k))),
    dictionary(new A.Int64(), new A.Int16(), counts, idx.map((k) => at(counts, k))),
    dictionary(new A.Float64(), new A.Int8(), weights, idx.map((k) => at(weights, k === null ? 2 : k))),
  ];
  const fields = [
    new A.Field('id', new A.Int64(), true),
    ...batch([0])
      .slice(1)
      .map((d, i) => new A.Field(['color', 'shade', 'count', 'weight'][i], d.type, true)),
  ];
  return table(fields, [batch([0, 1, null, 2, 3, 5]), batch([]), batch([null, 4, 1])]);
}

function write(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const expected = {};
  for (const [name, t] of [['types', typesTable()], ['dictionaries', dictionaryTable()]]) {
    for (const [format, ext] of [['file', 'arrow'], ['stream', 'arrows']]) {
      const file = `${name}.${ext}`;
      fs.writeFileSync(path.join(dir, file), A.tableToIPC(t, format));
      expected[file] = describe(t);
    }
  }
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected, null, 1));
}

function read(file, format) {
  const reader = A.RecordBatchReader.from(fs.readFileSync(file)).open();
  if (reader.isFile() !== (format === 'file')) {
    throw new Error(`Arrow JS does not read ${file} as an Arrow IPC ${format}`);
  }
  const t = new A.Table(reader.schema, [...reader]);
  const arrowJs = JSON.parse(fs.readFileSync(new URL('./node_modules/apache-arrow/package.json', import.meta.url)));
  process.stdout.write(JSON.stringify({ arrowJs: arrowJs.version, ...describe(t) }));
}

const [command, ...args] = process.argv.slice(2);
if (command === 'write' && args.length === 1) {
  write(args[0]);
} else if (command === 'read' && args.length === 2) {
  read(args[0], args[1]);
} else {
  process.stderr.write('usage: node arrow-interop.mjs write <dir> | read <path> <file|stream>\n');
  process.exit(2);
}
