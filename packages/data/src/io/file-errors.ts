import { DataFormatError } from '../errors.js';

/** Turns a Node file-system error into a message that names the path and says what went wrong. */
export function describeFileError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new DataFormatError(path, undefined, 'file not found');
  if (code === 'EISDIR') return new DataFormatError(path, undefined, 'is a directory, expected a file');
  if (code === 'EACCES') return new DataFormatError(path, undefined, 'permission denied');
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new DataFormatError(path, undefined, 'file too large to read into memory (2 GiB limit); stream CSV files with csvBatches');
  if (code === 'ERR_BUFFER_TOO_LARGE') return new DataFormatError(path, undefined, 'gzip data inflates to more than 2 GiB');
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_STREAM_ERROR') {
    return new DataFormatError(path, undefined, `corrupt or truncated gzip data (${(error as Error).message})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Whether a path names a gzip-compressed file. */
export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}
