/** Objectives are read on a world by src/analysis/objectives.ts (batches score them too); the classroom shows them. */
export { deriveObjectives, type ObjectiveStatus, objectiveWorld } from '../analysis/objectives.ts';
