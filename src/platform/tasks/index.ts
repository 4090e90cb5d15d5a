// The home page's to-do list: domains provide tasks, the platform aggregates them.
export { collectTasks, createTaskRegistry, type Task, type TaskProvider, type TaskRegistry } from './tasks.js';
export { tasksRoutes } from './tasks.routes.js';
