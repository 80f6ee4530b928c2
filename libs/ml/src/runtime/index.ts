/**
 * The one place that decides which TensorFlow.js backend runs our models. Model code imports `tf` from
 * here and never from a backend package, so switching backends never touches it.
 *
 * Placeholder until the ML runtime issue lands the ML_BACKEND switch (tensorflow | tensorflow-gpu | cpu).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
