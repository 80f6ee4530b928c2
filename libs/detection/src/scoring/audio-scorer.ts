/**
 * An audio VAE as the `AUDIO` scorer: a window's sound (its chunks, and the chunk begun before it) as one clip,
 * scored as the mean of its log-mel context windows' reconstruction error, or by its mean latent's distance to the
 * nearest known machine's normal when the model folder has a latent density (`audioClipScoringModel` of
 * @vigil/ml; the served MIMII model does). It serves machines
 * whose faults show in sound and that no fused model covers (the replay's engines carry MIMII pump sound), and the
 * fleet's sound when no fused model is served (DETECTOR_AUDIO_MODEL_DIR). A flagged window's root cause names the mel
 * bands whose reconstruction is worst, with their frequencies.
 *
 * Sound with a gap is never zero-filled (silence would read as an anomaly): a gap of up to MAX_CONCEALED_SHARE of
 * the window (a late 1 s chunk of 3 s) is concealed with the sound beside it, a window with less sound is not
 * scored (window-log-mels.ts).
 *
 * @example
 *   const model = audioClipScoringModel(windowModel, features, 48_000);
 *   registry.register(audioWindowScorer(model));
 */
import type { RootCauseSummary } from '@vigil/contracts';
import { hzToMel, melToHz } from '@vigil/features';
import { AUDIO_CLIP_INPUT, type AudioClipScoringModel, logMelContexts } from '@vigil/ml';
import type { AlignedWindow } from '../windows/types';
import type { FlaggedFrame, ModalityScorer } from './modality-scorer';
import { placeWindowSamples } from './window-log-mels';

/** Mel bands named in a flagged window's root cause. */
const TOP_BANDS = 3;

/**
 * The window's mono sound at `sampleRate` (`[startMs, endMs)`), from its chunks and the one begun before it, or
 * undefined when too little of it is covered (placeWindowSamples, as the fused scorer places it: a short gap concealed).
 * Chunks of another rate or channel count (another microphone than the model was trained on) are left out.
 */
export function windowAudioSamples(w: AlignedWindow, sampleRate: number): Float32Array | undefined {
  return placeWindowSamples(w, sampleRate)?.samples;
}

export function audioWindowScorer(model: AudioClipScoringModel): ModalityScorer {
  const { features, clipSamples } = model;
  return {
    modality: 'AUDIO',
    model,
    frame(w) {
      const samples = windowAudioSamples(w, features.sampleRate);
      // A window of another length than the model's clips (the detector's windows all have one) is not scored.
      if (!samples || samples.length !== clipSamples) return undefined;
      return { [AUDIO_CLIP_INPUT]: logMelContexts(samples, features).data };
    },
    explain: (flagged) => flagged.map((f) => explainSound(model, f)),
  };
}

/** The bands whose log-mel energy the model reconstructs worst, averaged over the clip's frames. */
function explainSound(model: AudioClipScoringModel, flagged: FlaggedFrame): RootCauseSummary {
  const x = flagged.inputs[AUDIO_CLIP_INPUT]!;
  const recon = flagged.reconstruction[AUDIO_CLIP_INPUT]!;
  const mels = model.features.nMels;
  const error = new Float64Array(mels);
  for (let i = 0; i < x.length; i++) error[i % mels] = error[i % mels]! + (x[i]! - recon[i]!) ** 2;
  const total = error.reduce((a, b) => a + b, 0);
  const ranked = Array.from(error, (e, band) => ({ band, share: total > 0 ? e / total : 0 }))
    .sort((a, b) => b.share - a.share)
    .slice(0, TOP_BANDS);
  const top = ranked[0];
  const range = top ? bandRange(top.band, model.features) : undefined;
  return {
    summary: range
      ? `Sound anomaly, strongest in the ${range} band (${Math.round(100 * top!.share)} % of the reconstruction error).`
      : 'Sound score over its threshold.',
    topChannels: ranked.map((r) => ({ name: `mel_${String(r.band).padStart(2, '0')} (${bandRange(r.band, model.features)})`, share: r.share })),
    topTimeSteps: [],
    topLatents: [],
    modalityShares: { AUDIO: 1 },
  };
}

/** A mel band's edges in Hz (Slaney mel scale, fMin 0, fMax Nyquist: as `logMelContexts` computes them). */
function bandRange(band: number, features: { sampleRate: number; nMels: number }): string {
  const maxMel = hzToMel(features.sampleRate / 2);
  const edge = (i: number) => melToHz((maxMel * i) / (features.nMels + 1));
  const fmt = (hz: number) => (hz >= 1000 ? `${(hz / 1000).toFixed(1)} kHz` : `${Math.round(hz)} Hz`);
  return `${fmt(edge(band))}–${fmt(edge(band + 2))}`;
}
