import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import {
  type ImagePredictionRequest,
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
}
