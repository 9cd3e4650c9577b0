import type { Stats } from 'node:fs';
import { DataFormatError } from '../errors.js';

/** Turns a Node file-system error into a message that names the path and says what went wrong. */
export function describeFileError(path: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new DataFormatError(path, undefined, 'file not found');
  if (code === 'EISDIR') return new DataFormatError(path, undefined, 'is a directory, expected a file');
  if (code === 'EACCES' || code === 'EPERM') return new DataFormatError(path, undefined, 'permission denied');
  if (code === 'ELOOP') return new DataFormatError(path, undefined, 'too many levels of symbolic links (a symlink loop?)');
  if (code === 'ENOTDIR') return new DataFormatError(path, undefined, 'a part of the path is not a directory');
  if (code === 'ENAMETOOLONG') return new DataFormatError(path, undefined, 'file name too long');
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new DataFormatError(path, undefined, 'file too large to read into memory (2 GiB limit); stream CSV files with csvBatches');
  if (code === 'ERR_BUFFER_TOO_LARGE') return new DataFormatError(path, undefined, 'gzip data inflates to more than 2 GiB');
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_STREAM_ERROR') {
    return new DataFormatError(path, undefined, `corrupt or truncated gzip data (${(error as Error).message})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What a non-regular file is, for messages. */
function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Refuses anything but a regular file (after following symbolic links): a device such as /dev/zero, a pipe or a
 * socket has no size to check and would be read without bound. Returns the file's stats.
 */
export function assertRegularFile(path: string, stats: Stats): Stats {
  if (!stats.isFile()) throw new DataFormatError(path, undefined, `is ${fileKind(stats)}, expected a regular data file`);
  return stats;
}

/** Whether a path names a gzip-compressed file. */
export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}
