export type { Dataset, Task } from "./dataset.js";
