// What the Docker image sets for node itself, read from the Dockerfile, so that a benchmark child runs with the flags
// production runs with (measure.ts `startSubgraphProcess`) and the Dockerfile stays the one place they are written.

import { readFileSync } from 'node:fs';
import { DockerfileParser, Env } from 'dockerfile-ast';

const DOCKERFILE = new URL('../../../Dockerfile', import.meta.url);

/**
 * The `NODE_OPTIONS` the image's last stage sets with `ENV`, or '' when it sets none. `text` defaults to the
 * project's Dockerfile.
 */
export function imageNodeOptions(text: string = readFileSync(DOCKERFILE, 'utf8')): string {
  const instructions = DockerfileParser.parse(text).getInstructions();
  const runtime = instructions.slice(instructions.findLastIndex((i) => i.getKeyword() === 'FROM'));
  let value = '';
  for (const instruction of runtime) {
    if (!(instruction instanceof Env)) continue;
    for (const property of instruction.getProperties()) {
      if (property.getName() === 'NODE_OPTIONS') value = property.getValue() ?? '';
    }
  }
  return value;
}
