// Test-only helpers (not exported from the package): the NPY/IDX files written by NumPy in
// tools/reference/data_format_fixtures.py and their expected contents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a fixture file must load as, or that it must be rejected. */
export type ExpectedFile =
  | { accept: true; dtype: string; shape: number[]; values: number[] }
  | { accept: false; reason: string };

/** Directory of the committed fixture files. */
export const FORMAT_FIXTURES_DIR = join(__dirname, '..', 'formats', 'fixtures');

/** The expectations of every fixture file, by file name. */
export function loadFormatExpectations(): Record<string, ExpectedFile> {
  const parsed = JSON.parse(readFileSync(join(FORMAT_FIXTURES_DIR, 'expected.json'), 'utf8')) as { files: Record<string, ExpectedFile> };
  return parsed.files;
}

/** The bytes of a fixture file. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FORMAT_FIXTURES_DIR, name)));
}
