import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ContractInterceptor } from './http/contract.interceptor.js';
import { WriteMarksInterceptor } from './http/write-marks.interceptor.js';
import type { AppConfig } from '@qadaga/config';
import { AuthModule } from './auth/auth.module.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { ViolationsModule } from './violations/violations.module.js';
import { FlagsModule } from './flags/flags.module.js';
import { RulesModule } from './rules/rules.module.js';
import { SweepsModule } from './sweeps/sweeps.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { QueuesModule } from './core/queues.module.js';
import { ReferenceModule } from './reference/reference.module.js';
import { PublicStatsModule } from './public-stats/public-stats.module.js';
import { PlacesModule } from './places/places.module.js';
import { CasesModule } from './cases/cases.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { WorkModule } from './work/work.module.js';
import { MeModule } from './me/me.module.js';
import { SearchModule } from './search/search.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        QueuesModule.forRoot(config),
        AuthModule,
        IngestModule,
        ViolationsModule,
        LedgerModule,
        FlagsModule,
        RulesModule,
        SweepsModule,
        JobsModule,
        ReferenceModule,
        PublicStatsModule,
        PlacesModule,
        CasesModule,
        PrivacyModule,
        EvidenceModule,
        ProfilesModule,
        WorkModule,
        MeModule,
        SearchModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: ContractInterceptor },
        { provide: APP_INTERCEPTOR, useClass: WriteMarksInterceptor },
      ],
    };
  }
}
