import { PNG } from 'pngjs';
import { writeFileAtomic } from '@trientropy/trainers/node';

/** Height and width of square grey-scale images of `dataDim` pixels (784 → 28 × 28), or undefined. */
export function imageShapeFor(dataDim: number): [number, number] | undefined {
  const side = Math.round(Math.sqrt(dataDim));
  return side * side === dataDim && side >= 8 ? [side, side] : undefined;
}

/**
 * Writes rows of `values` (each an image of `height × width` grey values in [0, 1], clipped) as one PNG grid,
 * `columns` images per row with a 1-pixel white border; encoded by pngjs, written atomically.
 */
export async function writeImageGrid(path: string, values: Float32Array, rows: number, shape: [number, number], columns = 8): Promise<void> {
  const [height, width] = shape;
  const gridColumns = Math.min(columns, rows);
  const gridRows = Math.ceil(rows / gridColumns);
  const png = new PNG({ width: gridColumns * (width + 1) + 1, height: gridRows * (height + 1) + 1, colorType: 0, inputColorType: 0 });
  png.data.fill(255);
  // pngjs keeps RGBA internally.
  for (let image = 0; image < rows; image++) {
    const top = 1 + Math.floor(image / gridColumns) * (height + 1);
    const left = 1 + (image % gridColumns) * (width + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = values[image * height * width + y * width + x]!;
        const grey = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
        const offset = ((top + y) * png.width + left + x) * 4;
        png.data[offset] = grey;
        png.data[offset + 1] = grey;
        png.data[offset + 2] = grey;
        png.data[offset + 3] = 255;
      }
    }
  }
  await writeFileAtomic(path, PNG.sync.write(png, { colorType: 0 }));
}
