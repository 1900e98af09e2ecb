/** Writes the example database at `path` (replacing it) and returns the path. */
export function seed(path: string, options?: { customers?: number; accounts?: number }): string;
