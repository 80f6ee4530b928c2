import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import {
  type AudioPrediction,
  type AudioPredictionRequest,
  audioPredictionSchema,
  type ImagePredictionRequest,
  type MultimodalPrediction,
  type MultimodalPredictionRequest,
  multimodalPredictionSchema,
  imagePredictionSchema,
  type Prediction,
  type TimeseriesPredictionRequest,
  timeseriesPredictionSchema,
} from './predictions.schemas';
import { PredictionsService } from './predictions.service';

@Controller('v1/predictions')
export class PredictionsController {
  constructor(@Inject(PredictionsService) private readonly predictions: PredictionsService) {}

  @Post('timeseries')
  @HttpCode(200)
  timeseries(@Body(new ZodPipe(timeseriesPredictionSchema)) body: TimeseriesPredictionRequest): Promise<Prediction> {
    return this.predictions.timeseries(body);
  }

  @Post('image')
  @HttpCode(200)
  image(@Body(new ZodPipe(imagePredictionSchema)) body: ImagePredictionRequest): Promise<Prediction> {
    return this.predictions.image(body);
  }

  @Post('audio')
  @HttpCode(200)
  audio(@Body(new ZodPipe(audioPredictionSchema)) body: AudioPredictionRequest): Promise<AudioPrediction> {
    return this.predictions.audio(body);
  }

  @Post('multimodal')
  @HttpCode(200)
  multimodal(@Body(new ZodPipe(multimodalPredictionSchema)) body: MultimodalPredictionRequest): Promise<MultimodalPrediction> {
    return this.predictions.multimodal(body);
  }
}
