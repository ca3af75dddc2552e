import { CompiledKernel } from './compiled-kernel.ts';
import type { Kernel } from './kernel.ts';
import { ReferenceKernel } from './reference-kernel.ts';
import type { Model } from '../model/types.ts';

export type EngineName = 'reference' | 'compiled';

/** Creates the kernel an engine name stands for. */
export function createKernel(model: Model, engine: EngineName): Kernel {
  switch (engine) {
    case 'reference':
      return new ReferenceKernel(model);
    case 'compiled':
      return new CompiledKernel(model);
    default:
      throw new TypeError(`expected engine "compiled" or "reference"; found ${JSON.stringify(engine as unknown)}`);
  }
}
