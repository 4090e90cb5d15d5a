export { DEMO_USERS, type DemoSeedResult, seedDemo, seedDemoIfEmpty } from './demo.seed.js';
