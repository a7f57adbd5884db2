import type { CompressionCodec, DecodedArray, FileMetaData, SchemaTree } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { DEFAULT_PARSERS, convert, convertWithDictionary } from "hyparquet/src/convert.js";
import { decompressPage, readDataPage, readDataPageV2 } from "hyparquet/src/datapage.js";
import { readPlain } from "hyparquet/src/plain.js";
import { compressors } from "hyparquet-compressors";

type ColumnDecoder = Parameters<typeof readDataPage>[2];

/** One decoded data page of a flat column: the present values, and which rows they belong to. */
export interface FlatPage {
  /** The non-null values, in row order. */
  readonly values: DecodedArray;
  /** Per row, the definition level (maxDefinition = present); empty when every row of the page is present. */
  readonly definitionLevels: ArrayLike<number>;
  readonly maxDefinition: number;
}

/** Where one top-level column's chunk lies in one row group, and how to decode it. */
export interface FlatColumnChunk {
  readonly start: number;
  readonly end: number;
  readonly rows: number;
  readonly decoder: ColumnDecoder;
}

/**
 * The chunk of top-level column `column` (a child of the schema `root`) in row group `group`. Our columns are flat (no nesting, no repetition:
 * parquet-columns refuses the others), so hyparquet's list assembly, which turns every nullable column into an
 * array of boxed numbers and costs most of the read time, is not needed: pages are decoded by hyparquet's own
 * page readers and their values kept in typed arrays.
 */
export function flatColumnChunk(metadata: FileMetaData, group: number, root: SchemaTree, column: SchemaTree): FlatColumnChunk {
  const rowGroup = metadata.row_groups[group];
  const name = column.element.name;
  const chunk = rowGroup.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
  const meta = chunk?.meta_data;
  if (chunk === undefined || meta === undefined) throw new Error(`row group ${group} has no chunk for column ${name}`);
  if (chunk.file_path) throw new Error(`column ${name} is in another file (${chunk.file_path}), which is not supported`);
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const decoder: ColumnDecoder = {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element: column.element,
    schemaPath: [root, column],
    codec: meta.codec as CompressionCodec,
    parsers: DEFAULT_PARSERS,
    compressors,
  };
  return { start, end: start + Number(meta.total_compressed_size), rows: Number(rowGroup.num_rows), decoder };
}

/** The data pages of one column chunk (its bytes), decoded; the dictionary page, if any, applied. */
export function* flatPages(bytes: Uint8Array, chunk: FlatColumnChunk): Generator<FlatPage> {
  const { decoder } = chunk;
  const maxDefinition = decoder.element.repetition_type === "REQUIRED" ? 0 : 1;
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  let dictionary: DecodedArray | undefined;
  let rows = 0;
  while (rows < chunk.rows) {
    if (reader.offset >= bytes.byteLength) throw new Error(`column ${decoder.element.name} ends after ${rows} of ${chunk.rows} rows`);
    const header = parquetHeader(reader);
    const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (compressed.byteLength !== header.compressed_page_size) throw new Error(`a page of column ${decoder.element.name} is cut short`);
    if (header.type === "DICTIONARY_PAGE" && header.dictionary_page_header) {
      const page = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, compressors);
      const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      const plain = readPlain(pageReader, decoder.type, header.dictionary_page_header.num_values, decoder.element.type_length);
      dictionary = convert(plain, decoder);
    } else if (header.type === "DATA_PAGE" && header.data_page_header) {
      const page = decompressPage(compressed, header.uncompressed_page_size, decoder.codec, compressors);
      const { definitionLevels, dataPage } = readDataPage(page, header.data_page_header, decoder);
      const values = convertWithDictionary(dataPage, dictionary, header.data_page_header.encoding, decoder);
      rows += header.data_page_header.num_values;
      yield { values, definitionLevels: definitionLevels ?? [], maxDefinition };
    } else if (header.type === "DATA_PAGE_V2" && header.data_page_header_v2) {
      const { definitionLevels, dataPage } = readDataPageV2(compressed, header, decoder);
      const values = convertWithDictionary(dataPage, dictionary, header.data_page_header_v2.encoding, decoder);
      rows += header.data_page_header_v2.num_values;
      yield { values, definitionLevels: definitionLevels ?? [], maxDefinition };
    }
    // Index pages and unknown page types carry no values: skipped, as the format allows.
  }
  if (rows !== chunk.rows) throw new Error(`column ${decoder.element.name} has ${rows} values for ${chunk.rows} rows`);
}

/** A page's values spread over its rows, null for a missing one (for the target, read as cells). */
export function pageCells(page: FlatPage): unknown[] {
  const { values, definitionLevels, maxDefinition } = page;
  if (definitionLevels.length === 0) return Array.from(values as ArrayLike<unknown>);
  const out = new Array<unknown>(definitionLevels.length);
  let k = 0;
  for (let i = 0; i < definitionLevels.length; i++) out[i] = definitionLevels[i] === maxDefinition ? values[k++] : null;
  return out;
}
