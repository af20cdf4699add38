import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The content of a config document: JSON when its origin (a file path or URL) ends in `.json`, else YAML (which
 * also reads JSON). Throws an Error that names the origin and the syntax problem. Shared by the price overrides
 * and the Node package's config files, so that every file of the project is read the same way.
 */
export function parseYamlOrJson(text: string, origin: string): unknown {
  const json = /\.json$/i.test(extname(origin.split('?')[0]!));
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${origin}: not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
}
