import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BoundaryFileError, DEFAULT_NAME_PROPERTIES, DistrictBoundaryRepository, parseBoundaryFile } from '@qadaga/db';
import { openContext } from '../context.js';
import { createOutput } from '../output.js';

/** Exit code of a boundary file refused: nothing was changed. */
export const GEO_FILE_REFUSED = 3;

export function registerGeo(program: Command): void {
  const geo = program.command('geo').description('the district boundaries the public map draws and the figures are counted by');
  geo
    .command('load')
    .description("replace the city's district boundaries with a GeoJSON FeatureCollection of Polygons or MultiPolygons (WGS 84); a file with any problem changes nothing")
    .argument('<file>', 'the .geojson file')
    .option('--id-property <name>', "the feature property holding each district's id (lower-case letters, digits, _ or -)", 'id')
    .option('--name-properties <ru,kk,en>', 'the properties holding the Russian, Kazakh and English names', DEFAULT_NAME_PROPERTIES.join(','))
    .option('--json', 'print the summary as one JSON line')
    .action(async (file: string, options: { idProperty: string; nameProperties: string; json?: boolean }) => {
      const names = options.nameProperties.split(',').map((n) => n.trim());
      if (names.length !== 3 || names.some((n) => n.length === 0)) {
        throw new Error(`--name-properties: give three property names, Russian, Kazakh and English, comma-separated (got "${options.nameProperties}")`);
      }
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
      });
      let set;
      try {
        set = parseBoundaryFile(text, { idProperty: options.idProperty, nameProperties: names as [string, string, string] });
      } catch (error) {
        if (error instanceof BoundaryFileError) {
          for (const p of error.problems) process.stderr.write(`${file}: ${p.path}: ${p.message}\n`);
          throw Object.assign(new Error(`${file} refused (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); the boundaries were not changed`), { exitCode: GEO_FILE_REFUSED });
        }
        throw error;
      }
      const ctx = openContext();
      try {
        const result = await new DistrictBoundaryRepository(ctx.pool).replace(set);
        if (set.attribution === null) process.stderr.write(`${file}: no attribution in the file (top-level "attribution" or metadata.attribution): the public map will credit no source\n`);
        createOutput(options.json === true).result(
          { loaded: result.loaded, removed: result.removed, districts: set.boundaries.map((b) => b.id), attribution: set.attribution },
          `${result.loaded} district boundaries loaded (${result.removed} replaced): ${set.boundaries.map((b) => b.id).join(', ')}`,
        );
      } finally {
        await ctx.close();
      }
    });
}
