import type { FeatureVector } from './features';
import { mulberry32 } from './random';

/** Below this the update is noise; skipping it makes training several times faster. */
const SKIP_GRADIENT = 1e-3;

export interface TrainingOptions { epochs: number; learningRate: number; l2: number; seed: number }
export const DEFAULT_TRAINING: TrainingOptions = { epochs: 30, learningRate: 0.5, l2: 1e-5, seed: 7 };

/** A serializable multinomial logistic regression over sparse features. */
export interface SoftmaxModelData {
  labels: string[];
  features: string[];
  weights: number[] | Float64Array;   // labels.length rows x (features.length + 1) columns, the last one the bias
}


export class SoftmaxModel {
  private readonly featureIndex: Map<string, number>;
  private readonly width: number;

  private constructor(readonly labels: string[], private readonly features: string[], private readonly weights: Float64Array) {
    this.featureIndex = new Map(features.map((f, i) => [f, i]));
    this.width = features.length + 1;
  }

  static fromData(data: SoftmaxModelData): SoftmaxModel {
    return new SoftmaxModel(data.labels, data.features, Float64Array.from(data.weights));
  }

  toData(): SoftmaxModelData {
    return { labels: this.labels, features: this.features, weights: Array.from(this.weights) };
  }

  /** Stochastic gradient descent with AdaGrad step sizes; deterministic for a given seed. */
  /**
   * Examples marked `added` (staff's phrases on top of the shipped data) are inserted into each
   * epoch's order by a second random stream: the shipped examples keep exactly the order they have
   * without them, so one added phrase changes the model by what it says, not by a reshuffle.
   */
  static train(examples: Array<{ x: FeatureVector; y: string; added?: boolean }>, options: TrainingOptions = DEFAULT_TRAINING): SoftmaxModel {
    const labels = [...new Set(examples.map((e) => e.y))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const features = [...new Set(examples.flatMap((e) => [...e.x.keys()]))].sort();
    const model = new SoftmaxModel(labels, features, new Float64Array(labels.length * (features.length + 1)));
    const sparse = examples.map((e) => ({
      idx: Int32Array.from([...e.x.keys()].map((k) => model.featureIndex.get(k)!)),
      val: Float64Array.from(e.x.values()),
      y: labelIndex.get(e.y)!,
    }));
    const grad2 = new Float64Array(model.weights.length).fill(1e-8);
    const random = mulberry32(options.seed);
    const insertAt = mulberry32(options.seed ^ 0x5bd1e995);
    const order = examples.flatMap((e, i) => (e.added ? [] : [i]));
    const added = examples.flatMap((e, i) => (e.added ? [i] : []));
    const probs = new Float64Array(labels.length);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const sequence = added.length ? [...order] : order;
      for (const a of added) sequence.splice(Math.floor(insertAt() * (sequence.length + 1)), 0, a);
      for (const n of sequence) {
        const ex = sparse[n]!;
        model.scoresInto(ex.idx, ex.val, probs);
        for (let c = 0; c < labels.length; c++) {
          const g = probs[c]! - (c === ex.y ? 1 : 0);
          // a label the model already rules out for this example has nothing to learn from it
          if (g > -SKIP_GRADIENT && g < SKIP_GRADIENT) continue;
          const row = c * model.width;
          for (let k = 0; k < ex.idx.length; k++) {
            const w = row + ex.idx[k]!;
            const gw = g * ex.val[k]! + options.l2 * model.weights[w]!;
            grad2[w]! += gw * gw;
            model.weights[w]! -= (options.learningRate * gw) / Math.sqrt(grad2[w]!);
          }
          const b = row + model.width - 1;
          grad2[b]! += g * g;
          model.weights[b]! -= (options.learningRate * g) / Math.sqrt(grad2[b]!);
        }
      }
    }
    return model;
  }

  private scoresInto(idx: Int32Array, val: Float64Array, out: Float64Array): void {
    let max = -Infinity;
    for (let c = 0; c < this.labels.length; c++) {
      const row = c * this.width;
      let s = this.weights[row + this.width - 1]!;
      for (let k = 0; k < idx.length; k++) s += this.weights[row + idx[k]!]! * val[k]!;
      out[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < this.labels.length; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < this.labels.length; c++) out[c]! /= sum;
  }

  /** Probabilities per label, best first. Features the model never saw are ignored. */
  predict(x: FeatureVector): Array<{ label: string; p: number }> {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, v] of x) {
      const i = this.featureIndex.get(k);
      if (i !== undefined) { idx.push(i); val.push(v); }
    }
    const out = new Float64Array(this.labels.length);
    this.scoresInto(Int32Array.from(idx), Float64Array.from(val), out);
    return this.labels.map((label, c) => ({ label, p: out[c]! })).sort((a, b) => b.p - a.p);
  }
}
