/** The raw-window reader's token and the drill-down's fixed choices. */
export const RAW_WINDOWS = Symbol('RAW_WINDOWS');

/** Kafka timestamps are send times: a device may stamp this far ahead (clock skew) … */
export const SEND_EARLY_MS = 5_000;
/** … and deliver this late (the simulators' late deliveries reach 20 s). */
export const SEND_LATE_MS = 30_000;
export const READ_TIMEOUT_MS = 15_000;
/** A window with no frame of its own shows the latest earlier one while it is not overdue (the fused model's rule). */
export const IMAGE_OVERDUE_MS = 6_000;
/** The spectrogram: the fused model's log-mel features (audioLogMelFrames), at a resolution meant for the eye. */
export const SPECTROGRAM = { frames: 96, mels: 48 } as const;
