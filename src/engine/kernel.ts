import type { DeliveryLog } from '../model/build-machine.ts';
import type { EventInstance, WorldView } from '../model/types.ts';

/**
 * The actors' machines for one run, behind one interface so that the turn loop is shared by the
 * XState reference and the compiled kernel. A kernel holds the actors' states and nothing else.
 */
export interface Kernel {
  /** Which implementation this is, for reports. */
  readonly name: 'reference' | 'compiled';
  /** Puts every actor in its initial state. */
  reset(): void;
  /** False when no state of the actor has a transition on the event type (delivery would be a no-op). */
  handles?(actor: number, type: number): boolean;
  /** True when the actor's machine accepts the event in its current state (guards included). */
  can(actor: number, event: EventInstance, world: WorldView): boolean;
  /**
   * Optional fast path: true when, whenever `state` is active, the actor's machine accepts `event`
   * whatever the world (a transition on the state or an ancestor whose guard is absent or reads only
   * the event's own fields, and holds for them). Asked once, when a runner is built.
   */
  acceptsAlways?(actor: number, state: number, event: EventInstance): boolean;
  /** Optional: the live flags of the actor's active states (1 = active), indexed like `inState`. */
  activeFlags?(actor: number): Uint8Array;
  /** Delivers the event to the actor's machine; fired rules and effects are appended to `log`. */
  deliver(actor: number, event: EventInstance, world: WorldView, log: DeliveryLog): void;
  /** True when the state (by index in the actor's state table) is active. */
  inState(actor: number, state: number): boolean;
  /** The turn in which the actor last entered the state (0: since the run's start); meaningful while it is active. */
  enteredAt(actor: number, state: number): number;
  /** The active atomic states, as dotted paths joined by `, ` in document order. */
  label(actor: number): string;
  /** Optional: a copy of every actor's state, for `restore` (counterfactuals play on from a saved turn many times). */
  save?(): KernelSnapshot;
  /** Optional: puts every actor back in the state `save` copied. */
  restore?(snapshot: KernelSnapshot): void;
}

/** A kernel's saved actor states: opaque arrays only the kernel that saved them reads. */
export type KernelSnapshot = ReadonlyArray<Uint8Array | Int32Array>;
