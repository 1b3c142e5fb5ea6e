"""Materialise the held-out trees: real v1 code from repositories outside the dev corpus.

Usage::

    python benchmarks/heldout_trees.py OUT [--mirrors DIR] [--set first|second|...|thirtyfirst]

The dev corpus is what the fixer was built against; these repositories were never
looked at while writing it, so their migration rate says how the fixer does on code
it has not seen.  The first set (seven repositories) has been measured since stop 31;
the second (seven smaller ones: workshops, courses, templates) since stop 32, each
first run before any change it led to.  Each repository is read at a pinned commit and its source and
small data files (Python, notebooks, YAML, JSON, text) are written to
``OUT/<name>/``; then measure with::

    python benchmarks/corpus_migration.py --corpus OUT
    python benchmarks/harm_gate.py --corpus OUT --mode both

Repositories come from GitHub (a shallow fetch of the pinned commit), or with
``--mirrors DIR`` from local clones laid out as ``DIR/<owner>+<name>/repo``.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

# (owner/name, commit[, folders]): public repositories with Azure ML SDK v1 code, outside the dev corpus
# (with folders, only the files under them).
HELD_OUT = (
    ("microsoft/MLOps", "c29628b917b42a910d2ae232556b706b8f1bc0c5"),
    ("microsoft/AzureML-BERT", "6d7e88255d28de5e84b7eedd6ad48d0eb38a23fb"),
    ("microsoft/nlp-recipes", "7db6d204e5116da07bb3c549df546e49cb7ab5a5"),
    ("microsoft/computervision-recipes", "679f1bf82b22b8c948f3703933557a2ba090739d"),
    ("microsoft/recommenders", "d58014367f66cea4596a728ba3994c2ed3d12fe3"),
    ("Azure-Samples/MLOpsDatabricks", "60c29b74a0ea70ce70f387a6c088c5da32da5276"),
    ("microsoft/seismic-deeplearning", "3f74face5d087a3947419a698a6181733d8be8fd"),
)

# The second set: smaller projects, the kind of v1 code most teams hold.
SECOND_SET = (
    ("danielsc/azureml-workshop-2019", "789d430b3269227a46e88e349f025cd7ea62d405"),
    ("godatadriven/azureml_experiment_tracking_tutorial", "8c7467a003522e6c9e29bf13b02b7420b1a8494b"),
    ("nfmoore/azureml-v1-real-time-deployment-template", "4df00883d0f925849a7031fe4cfe3bfeb9ac0388"),
    ("Azure-Samples/AzureML_industry_labs", "6d7f1efe792670dfe7b730e244c1b7697b7a56ff"),
    ("jesrav/mlops-batch-project-azureml", "394b926ed80bd146cff425c21c7706357fcf9183"),
    ("Alyxion/Udacity_AzureMLEngineer", "fabd817674ee01ad718fcdb3f88ce07d452e0eb7"),
    ("BillmanH/learn-azureml", "6502a7da6d4cd57b9de6618da3a8977c6d19cc91"),
)
# The third set (since stop 33): workshop and exam-practice code written by users, GitHub
# Actions that drive v1, and two Microsoft samples; mslearn-dp100 was only read for one
# defect in stop 32, never measured.
THIRD_SET = (
    ("Jscholtes128/AzureML-Examples", "aa2b2683a55f201e290e001fdafa23db14fd251e"),
    ("gauravsatav/azuremlSolution", "8c861e186d7297c7ed2b909eda51f2f200857ab2"),
    ("pietersap/dataminds-azureML-tensorflow-face", "d609ce7385680b97c5b4237dffc8307086ee0d68"),
    ("MicrosoftLearning/mslearn-dp100", "d82038dd1ffb2a2d0fa0f91dba7ca84099924eb4"),
    ("Azure/aml-run", "046f4310d6c2eefde4605f9d7292a039b787d957"),
    ("Azure/aml-deploy", "cae7130a248c14a68da189f7b8b7cf80ad536948"),
    ("Azure/aml-registermodel", "68261596392a50aa9e979994578f0e468f90b40f"),
    ("microsoft/AzureML-Observability", "6ac1006f6f6496bf14d73ff13af2ee21f8f25b57"),
    ("microsoft/onnxruntime-training-examples", "ef9a7777304b8ce86433e75d290cdd10ff01a966"),
)
# The fourth set (since stop 33, measured after the third had been read): a hands-on course,
# deployment samples and a research project's training code.
FOURTH_SET = (
    ("ics-opendev/azureml-handson", "3513aa874723b3a29b219b632a907d5fe7486263"),
    ("wjohnson/DeployDNNonAzureML", "16fce4073c338e73cda9de7d21f9e0b6a07e7879"),
    ("AlbertoMartinPerez/CNN_HSI_AzureML", "933811a653de2e6fc7b1bf24516489ee8b0a14c7"),
    ("Mutilar/AzureMLOperationalization", "63865cc98e68c4762fb4114e47f8a0f8013de9f3"),
)
# The fifth set (since stop 33, measured after the fourth had been read): exam notes, MLOps
# templates and a workshop.
FIFTH_SET = (
    ("tawounfouet/dp100-azure-data-scientist-associate", "c53b7a4369a6b2afcaae55f1fc1ff2eeff09f119"),
    ("PeakIndicators/Getting-Started-On-Azure-ML", "ee637ddfe7d213cf4759da0ed5f59c7382148870"),
    ("sebastianbirk/pytorch-mlops-template-azure-ml", "ffdd8e31ce7684966d1516b893be4d9f9df756a9"),
    ("godatadriven/code-breakfast-azure-ml", "17df41be276f03b2363061dba74ba0c8e4c6ccbe"),
    ("zmyzheng/Azure-ML-Pipeline", "6c919960c7517f921d45523f5caaae18fa2d6e03"),
    ("HimanshuChoudhary3004/Telecome_churn-Azure-ML-SDK-project", "a4aac4d6801f66e1bc1cc2422dcf81a64b119823"),
    ("meken/azure-mlops-demo", "371932ef550fba1b16d7733da5ea3bd9055b0d36"),
    ("microsoft/MLOpsPython", "98a610ff1afe29d026fcdffcb8fdc39edbef0f67"),
)
# The sixth set, measured before any change it led to: production pipelines, an NGO's toolkit, a workshop.
SIXTH_SET = (
    ("realAngryAnalytics/irisClassificationMLOps", "48d73a6148bef0ac0127d246fc03eec51c362ce3"),
    ("TheOceanCleanup/AIDataPipeLine", "a1dcb6b1e7043b4c29809cff60eb8a74063ad4aa"),
    ("miquelladeboer/aml-mlops-workshop", "adefa2eeff73c2ac86733b595ba81786ba8eff76"),
    ("SkillsFundingAgency/das-data-management-ai", "48578c4166b8e1c4391ca8660a018719f8b10781"),
    ("stkovacevic94/cifar10-azure-ml", "89b92d85d798202dbc42731af3f6cf26d3a46190"),
    ("jomedinagomez/MLOPs-AzureML", "8898ca97077fb4c3de0c11310b670e23975ca0c1"),
)
# The seventh set, measured before it was read: course scripts, Udacity capstones, student and research projects.
SEVENTH_SET = (
    ("hudua/azureml-databricks", "e3ce62dd79e654da523517af4879fb1b2fccfea1"),
    ("aditagrawal/Azure_ML", "30d7021c19aef8f56b05580cba25d38a5bc0b24e"),
    ("Aleaume/UdacityML_P3", "6356861b5c2f9187e252b57cacc4b4f020ea4391"),
    ("courtlin-holt-nguyen/Capstone-Udacity-Azure-ML-Nanodegree", "98aedd4cf534f3572a962a7f8d61b579c3428102"),
    ("UDEA-Esp-Analitica-y-Ciencia-de-Datos/EACD-08-CLOUD", "3a9df78da7bf1d783a6d0592935278c1bda15444"),
    ("Coluding/Car-crash-detection-with-CAM", "fc468b9ed66727e508168beea9c36f6fbe9dccbe"),
    ("FreddyMurphy/MLOpsProject", "176d91636ad2ba6da565bba8df5745e9d65a9137"),
    ("varunrhebbar/aazure-ml-works", "f912dab542dbbed29e5c3b263d6437d30c55a19d"),
)
# The eighth set (measured before it was read): deployments, datastores and datasets, notebooks.
EIGHTH_SET = (
    ("marcindulak/nd00333-capstone", "c62d24dddc14feaaf1c758299c3cabfd00b0529d"),
    ("Klimorg/azure-mlops-helper", "8bf74c34b56c362f9908f90c846dad5518da3fe0"),
    ("HossamEmam95/aml-demo-2", "3fdedd65b38bd28b703eeffbb821af911f7f315b"),
    ("MayMSFT/output-dataset", "b5f398056aa5caacbcf8fde0cddd14204d48ac56"),
    ("dougfoo/azureml", "f98538981c118657a78e32bbc1596128f40851a3"),
    ("Azure/MLOps-TDSP-Template", "011f5418bc3be25570a84ff8c58dca94d4b35a45"),
    ("thisissagnik/ML-Model-Deployment-Tool-for-Azure", "3171d4b16bcde7011862745c53907a8af6da936e"),
)
# The ninth set (measured before it was read): pipelines, HyperDrive, estimators and their training scripts.
NINTH_SET = (
    ("KuiMing/triathlon_azure", "a1db19da116abe3e62bf2c4a73eb3ef878384ccf"),
    ("LavanyaPedada/TensorFlow-ObjectDetection-API-Orchestration-in-Azure-MLS", "1035c05e2bcf347fad6a3001df849bdede5cf0ba"),
    ("Jscholtes128/Azure-ML-Turbofan", "673f47d0eb6a181c444c3e2ed142c6ce642cccd6"),
    ("wasuratme96/MSAzure-ML-Engineer", "72c00fb94c34f53398baf7a406874f35e659db06"),
    ("jesrav/azure-ml-learning", "6cda57e3611ecb907eb0e42d4cfabd13bf9c78f0"),
    ("olsaarik/aml-horovod-adasum-example", "18150242106ae451825ef3306920707e2c438309"),
    ("microsoft/aml-pipelines-demo", "6aea4f5279154459094104f6167b67a975d7ef33"),
)
# The tenth set (stop 35, measured before it was read): course code, MLOps templates, deployments, student scripts.
TENTH_SET = (
    ("LordSomen/Azure-ML", "92028cdb277faf2cf40650feef30dbf5b7728a75"),
    ("MercyPrasanna/MLOps", "6102d556875c293942cfbea3d8fd4078b1f98e42"),
    ("FlipWebApps/azure-playground", "a891b3a982a581347f74ec824807473d73008715"),
    ("hudua/databricks-aml-mlops-workshop", "ead62a9d853df0b112a1e51074fde4146efc96b2"),
    ("MariaFernandaGiraldo/DespliegueNube", "9681a7607b8cd758254ee02a84082271e0798861"),
    ("strateg17/SMART_DS_Academy_Prod1", "a1e9f6d826353f93879e7caace41f1b528c3d1db"),
    ("uwpz/AzureMLS", "bfe566b9c2d266acfb5abadc0b6962f75e60f919"),
)
# The eleventh set (stop 35, measured before it was read): MLOps toolkits, Kubernetes samples, forecasting notebooks.
ELEVENTH_SET = (
    ("microsoft/dstoolkit-mlops-base", "5d4c905940e82dad7a196bb132e1815dd8c3277a"),
    ("microsoft/MLOps_VideoAnomalyDetection", "ddac76731e4c4420c2071687f3d41b3c4da6d13f"),
    ("microsoft/dstoolkit-classification-solution-accelerator", "a99d4705bd738c6d47cdf55e49d39a2973d94aff"),
    ("Azure/AML-Kubernetes", "b533ee43ba7c8641c61c8b03ae4c674b0f711451"),
    ("microsoft/verseagility", "32aa0e9adceebf77e6ac771c000929938f6fd66e"),
    ("microsoft/forecasting", "86b421b71826b92e47c3e3cb6cdcbf7ff4a63b90"),
    ("konabuta/azureml-mlops", "fff2c386108658d990e84d89acd3d33426e0e8c0"),
)
# The twelfth set (stop 35, measured before it was read): v1 pipelines and their step scripts.
TWELFTH_SET = (
    ("nickwiecien/AzureML-Pipeline-ADLSGen2-AzSQL", "1e8e2ad29c83521b5305bba4704a98ced7178827"),
    ("nickwiecien/AzureML_Training_Inferencing_Pipeline_Samples", "c2af67339522d4ca37976dbf4a29bb33beae1307"),
    ("nickwiecien/AzureML_Autoencoder_MLOps", "84be26b05f65d5044e3a936fe4ab2b51f6b09a9a"),
    ("nickwiecien/AzureML-LocalModel_BatchPipeline", "c3f0f09c6373aaf56041322637e731bc93e50158"),
    ("jensjoris/Multi-stage-AzureML-Pipeline-Demo", "32af5c930765c14edbadc7c36c86c85066879682"),
    ("brunocous/azureml-pipeline-demo", "7e11140d4fc9e09cc8f78a20dea43883dbb848ee"),
    ("VincentCoulombe/azureml-pipeline", "35552553785b7a64412d6a868cf4aba2d14934c0"),
)
# The thirteenth set (stop 35, measured before it was read): books, labs and capstones, mostly notebooks.
THIRTEENTH_SET = (
    ("PacktPublishing/Mastering-Azure-Machine-Learning-Second-Edition", "ec7d04e66996356140f02a65b6c646ea41dd18a3"),
    ("PacktPublishing/Azure-Data-Scientist-Associate-Certification-Guide", "ae85d06e371cbd5f86c44d4a4d77fe897f9670fa"),
    ("solliancenet/azure-machine-learning-service-labs", "1e978a3a9063f77770deae09bc869b919364fa42"),
    ("apollo2030/nd00333-capstone", "9665c295556ab5cac865dbdc55b1d45a0e3ac7fe"),
    ("martinwilk/nd00333-capstone", "a49beb2da684facc7975f85a84c5e2d04f91c4d1"),
    ("richardvlas/Capstone-Project-Azure-Machine-Learning-Engineer", "3e14dc15298e3a7b2bab339e150817159a504e5f"),
)
# The fourteenth set (stop 35, measured before it was read): estimators, HyperDrive, distributed TensorFlow and PyTorch.
FOURTEENTH_SET = (
    ("rapidsai/cloud-ml-examples", "65839863c3c53f22dab6cad5e3deec062b0eb06a"),
    ("SaschaDittmann/TensorFlow101", "ce627836af38f04d04590ba4d571381e403ce2f1"),
    ("renerocksai/99-azureml-horovod", "8235882fb2239414c7dfcefe74b0af632a11780b"),
    ("nateraw/pytorch-lightning-azureml", "72b7e43e013e77f9fd1fb063e1588df669ccb029"),
    ("krisbock/AMLSamples", "dbbd9b1bc44711a081579015c1c483f060217f6d"),
)
# The fifteenth set (stop 35, measured before it was read): MLOps projects whose modules import each other.
FIFTEENTH_SET = (
    ("rsethur/MLOps", "f3e1db459001cc60cc3508083bf6d7ed7f386bd9"),
    ("alberto-morales/mite-AzureML", "b08a2ae00a59205be4435a5e743b678c8ddf686b"),
    ("ts-azure-services/drift-primer", "eb994c3e60e64fe45b3e2bb58dde6102374172a0"),
    ("RGuseynov/Trading_AML", "f7e215c0e76f4491f13e525544020f041823f5d7"),
    ("admin822/Azure_Machine_Learning_How_to_Use", "7fb395f5035a15d26a530178658043d89d3c6d93"),
    ("jixjia/azureml-mlops-workshop", "eea92e533bc98b020a2c755a79ee0167b13710fc"),
    ("lfbraz/azureml-mlops", "59ca807549618781ca217665339172a0ffc7c47e"),
)
# The sixteenth and seventeenth sets (stop 36, each measured by a helper before it was read): exam
# practice, capstones and cheat sheets; NLP and pipeline templates; MLOps and deployment samples.
SIXTEENTH_SET = (
    ("danczw/azure-ml-cheatsheet", "e11f166afca1b9e0cca917914589d5198ea0c114"),
    ("Latticecraft/Azure-ML-Accelerator", "771cc9fb2878750551020d447a4d79520ff83884"),
    ("Azure/AzureML-NLP", "83c4f0e7aa2f30980a18b14facae8208ae92360a"),
    ("Kilo-zolo/DP-100", "88ff8a331ded76c50a84dc6bf9554f09980c9481"),
    ("Khaled-Skairek/nd00333-capstone", "59a597ce66e0c54ece24de5017ad6d3baea01e1d"),
    ("DMGamage/Azure-DP-100-Practice", "274854c83c403209e22865b8455c8fd1274b771f"),
    ("dntrply/nd00333-capstone", "d95b19ed53ded2daaacb4ce1fd22def0c4a85185"),
)
SEVENTEENTH_SET = (
    ("rndazurescript/FunWithAzureML", "994b870c131dcb6b8b1da3dccf95d7a7c6a42869"),
    ("sanpil/aml-pipeline", "648a07f9c3ef9d8bf0f58bb7ec19e66190856bc3"),
    ("santiago-velasquez/azure-train-deploy", "5cef1ef70bc15d0c3fbe24a8bbead391db35e82d"),
    ("R-Saxena/DP-100-Exam-Prepration", "384e72fee56f6511adbd9eb90da874529d349ed3"),
    ("olonok69/azure-ml", "b2fc4baab2738b93d77ab03fd352ac3c434b61d0"),
    ("ZiKuanJasonCheng/azure-ml-pipeline-template", "f1c50a3c5c67ee88d53d61ea4238dfaabe52e2d4"),
    ("Nazeer2013/nd00333-capstone", "e5db7caa5961059614a021a2f76fa7d6035d09aa"),
)
# The eighteenth and nineteenth (stop 36, measured at cadb05f before they were read): DP-100 practice,
# capstones and a many-models MLOps hub; labs, a Docker sample and data-science courses.
EIGHTEENTH_SET = (
    ("luisfucros/azure-data-scientist", "b3581e125c985d2e3d203cda31890bf2749221cd"),
    ("ceejaymoss/DP-100-Azure-Data-Scientist", "7252e0a9821f39ebc3c4e29c46c909421e7fd83a"),
    ("DrewAumick/nd00333-capstone", "914724154a7aa039c97a8ee07ac59b7725d5c8c7"),
    ("ErkanHatipoglu/nd00333-capstone", "3b3aca656af92861285c64ff68113042a0df7407"),
    ("MFG-Azure-MLOps-Hub/MLOpsManyModels", "f0511221ebca5c85a59550231ce2c12ae2c31b66"),
)
NINETEENTH_SET = (
    ("RealData/AzureML", "00bf9b4cdc8872bf1a8141604e960d064132ea5a"),
    ("zafodB/dp-100-sdk", "acb072a21b19a01222784be4d34ebc3d34dc2132"),
    ("tirtho/docker-python-aml", "3a23a49c331bc6138be87f540d01b564704807dd"),
    ("RickySallan/PAIWP_LAB3_RS", "df817e52fda4a3c32bb2973047aaefc5ce2eacd6"),
    ("pietheinstrengholt/azure-ml-data-science-400", "43434b12fa076685e9d6f58dffa7d17aeb54f5ac"),
)
# The twentieth (stop 37, measured at 176c0f0 before they were read): a notebook collection of MLOps
# recipes, a Terraform-driven MLOps template, Databricks-with-Azure-ML scripts, a municipality's
# example repository, a course and a small train-and-deploy project.
TWENTIETH_SET = (
    ("balakreshnan/mlops", "45803e48e5060c65dc8dac6fac8b66b039d9bd96"),
    ("algattik/azure-mlops-terraform", "ff19d36d52fb29ce76439b9f921676d9a1031ad1"),
    ("jeevasam30/AzureML-SDK_DataBricks", "d1a29d2af0a1abf4a8dae2525d65e2323e18fdb0"),
    ("Amsterdam/AMLExampleRepository", "91a564ef3525bc433cddee6d137a5a2ca4c221b0"),
    ("elthonf/azure-ml", "1605fbd25755bf2221054042f1db32f70eeb8313"),
    ("stivensanmartin/cloud_diabetes", "95b7f47b6a7fb9cbc2a2be942179afda55d07215"),
)
# The twenty-first (stop 37, measured at 2b8a398 before they were read): an MLOps workshop with DevOps
# deploy scripts and many pipeline notebooks, an end-to-end XGBoost HyperDrive pipeline, FastTrack
# fundamentals notebooks with their step scripts, a data-prep pipeline workshop, a launcher that builds
# a transformers pipeline, and a pipeline components gallery.
TWENTYFIRST_SET = (
    ("csiebler/azure-machine-learning-mlops-workshop", "341f4bd788e93248ea8d46c8561b1921d82fd6f2"),
    ("dmichaels713/End-to-End-Machine-Learning-on-Azure-Machine-Learning-Service",
     "151aad3a0de6eb034bdfedeeb041da7b93788fc0"),
    ("Azure/fta-azure-machine-learning", "b6efa2837abb1c9e99e823ae5b21e890761a68f4"),
    ("aldelar/azure-machine-learning-workshop", "f59f73127aa77d51472ab47b0a1205af36103336"),
    ("nateraw/azureml-pipelines", "6ba6079f85d39a31b55913a8574e239d505134bd"),
    ("tichx/azureml-pipeline-components-gallery", "35a13b05f326b499e784f1e058c03fafe21f663f"),
)
# The twenty-second (stop 37, measured at 63ebb6f before they were read): a v1 SDK proof of concept with
# scikit-learn pipeline notebooks, a training course's numbered notebooks, a workshop's local scripts and
# pipeline notebooks, a small training repository, and an early Azure ML course (ACE).
TWENTYSECOND_SET = (
    ("crcastillo/Azure_ML_SDK1", "1f9320f46f8a6eea025fa349285740d300e81997"),
    ("tdavidkova/azure_ml_training", "107522f2ea77f01522e8ff7bd4188fb560fc2d18"),
    ("claesgill/azure_ml_workshop", "e1e9fb8277be11f2a12fe7d48836320ac3cd3853"),
    ("wliu40/azure_ml", "8216417a190771a8bbaef5d8939eff48802db03e"),
    ("Azure/ACE_Azure_ML", "5ffe9948a6f110185ca60ef32dda92e44dc71637"),
)
# The twenty-third (stop 38, measured at 5bc3c8e before they were read): French course notebooks with
# pipelines and deployment, DP-100 scripts, PyTorch Lightning training with an ACI deployment, an MLOps
# template with a ParallelRunStep pipeline, a book's notebooks, and Japanese samples (HyperDrive, AutoML).
TWENTYTHIRD_SET = (
    ("justine235/Azure_ML_Services", "f282d2fa476e943dd39bc205a391aefe7fc759e7"),
    ("ImanHindi/Azure_ML_Codes-Examples", "727dedec3eae305e7ffa977cd3bbc926917b83f7"),
    ("ShuntaIto/azureml-pl-sample", "e47cf8a90a09dbedc8247d45f89cb3dc6e883979"),
    ("aidemos/azureml-mlops", "35c6ac502ed844eb4960a948ec23a5bf6816bf5f"),
    ("PacktPublishing/Mastering-Azure-Machine-Learning", "3c7c24e40efb5c9eded75ddaae489bc640feef88"),
    ("dahatake/Azure-Machine-Learning-sample", "8f28c76fd80fc26227f607f585b18e96d7810ed5"),
)
# The twenty-fourth (stop 38, measured at 5bc3c8e before they were read): quickstart notebooks, a
# capstone's training scripts, a PyTorch MNIST job, MLflow projects on Azure ML, an MLOps template and
# an MLOps hands-on workshop.
TWENTYFOURTH_SET = (
    ("solliancenet/azure-machine-learning-quickstarts", "a0b647a421d0f9d16e94bcb1087f551c59848ee4"),
    ("temiwale88/nd00333-capstone", "3cf2071fc8b216444faf9281430763db64937368"),
    ("sachinkundu/pytorch-mnist-aml", "37b3c82c547543c9bca0834380241fa1cab76beb"),
    ("richardvlas/Azure-Machine-Learning", "76a8cdf6bf23c7375087cbe84739e84d8650f579"),
    ("microsoft/MLOpsTemplate", "c9b4013e2395786c3a1dc683c7dc17e519f29741"),
    ("xxxtrillionarie/MTC_Azure_MLOps_HandsOn", "a962ae29cfc118679a3a8660665d5c0fef9bd5fb"),
)
# The twenty-fifth (stop 38, measured at 5b9a270 before they were read): a library of Azure ML helpers,
# a pipeline constructor, an object-classification pipeline, pipeline samples, preview samples and a
# model-deployment accelerator.
TWENTYFIFTH_SET = (
    ("arcus-azure/arcus.azureml", "9a534c0af82ccf7b4808cccf5324fa76d621cc32"),
    ("AzizNadirov/azuremlconstructor", "e8fb27c96a2f212f6b3451a7f8ea4a7e6c3963ea"),
    ("Azure/aml-object-classification-pipeline", "1bba3d350ad51012e02daf6c3e1e8b9f695d946b"),
    ("Azure/AMLPipelines", "405f9405049d86638f8eb7fdcb32dd9704bb117e"),
    ("fahdkmsft/azureml-previews", "0f760b148cdae66b8e2ec1a6855a7fd54d959808"),
    ("Azure/AML-AirField", "0b715382aed3e4db7124e10990adb6116f07eaf7"),
)
# The twenty-sixth (stop 39, measured at 42536e1 before they were read): an MLOpsPython-style workshop whose
# steps name their scripts from the environment, an AutoML and HyperDrive capstone, demo notebooks with
# pipelines and deployments, a small CI/CD repository and data notebooks.
TWENTYSIXTH_SET = (
    ("KBaroni/mlopsworkshop2", "4d4f5f61b43682e339e792e9b053b95d3deaec3c"),
    ("DivkovicD/ML-Engineer-w-MS-Azure", "ffaa43d3462fb06f9e47d4c17683c97e1426b0e7"),
    ("alossar/azure-machine-learning", "6dba35aedeecce59f8de66832875e4c43223e461"),
    ("kalla86840/azuremlopstest", "ca8af58f8162434469186458f2b5dd0b44d604e3"),
    ("epomatti/azure-ml", "0fa767a92de9ee7d8314f24876ea26cf4aa82758"),
)
# The twenty-seventh (stop 39, measured at 42536e1 before they were read): DP-100 labs, a copy of
# MLOpsPython, a capstone, a workshop's launchers and a personal notes repository.
TWENTYSEVENTH_SET = (
    ("retkowsky/DP-100", "612af08e27a5591b8ac5df8e1268e40fb6cb28cd"),
    ("ruqianq/azure_mlops", "9326116e4bcf96ddae330ff7c2fa2ecec141c218"),
    ("NLKNguyen/nd00333-capstone", "900da4659dc4ea6f29dd7e63f2f4924a586008de"),
    ("lehmus/workshop-azure-machine-learning", "07503228f4d96efceb17e0b8504475e1280c0f1d"),
    ("mariuszrokita/azure-machine-learning", "650dd769cde63ccc74253c77bbf1585ce3805144"),
)
# The twenty-eighth (stop 40, measured at a6c0004 before they were read; owners a-k): pipeline and
# estimator launchers with their step scripts, HyperDrive and AutoML capstones, ACI deployments.  Of
# azure-ml-courses only the two folders that are its own (the rest copies repositories used before).
TWENTYEIGHTH_SET = (
    ("GSGZilch/azureml-v1", "7165d72924a25ebe3b263ef707288e4810e115b7"),
    ("FrsECM/AzureML-Training---Simplon", "378e556864ce0fc34221ed0af0ad4b5c6cae27d1"),
    ("infosupport/azureml-cookiecutter", "812db163aab425eedd28d970fa05ecfba856fa09"),
    ("jaeha-choi/AzureML-ResNet", "61e6c3c06d9cfb1d34694e12d95768c408504a9c"),
    ("chiemenz/AzureML-Sentiment-Classification-and-Model-Deployment", "0e55c6380ffc40aa69db839c51e81ec10168cf88"),
    ("andersonfurtado/AzureML-Education-Development-Index-prediction", "330d8c64bdbf7d188cf4939965faca7cce39cd7a"),
    ("dwittaker/nd00333-capstone", "c6dceb4c590a1a1ff34c3c9632a328b7a8676167"),
    ("HajimeK/nd00333-capstone", "d25d568a4fe3f1846e82d3f6548f7a854367ea18"),
    ("elenacramer/nd00333-capstone", "fa6eba724eea395509b24bc727ab3b6b4afd7166"),
    ("kryvokhyzha/azure-ml-courses", "ce24d6f64fb56d41441489f98c7b33d4db827b21",
     ("flowers-azure-ml/", "file-dataset-creation/")),
)
# The twenty-ninth (stop 40, measured at a6c0004 before they were read; owners l-z): a copy of
# MLOpsPython, pipeline samples (one with a CommandStep), workshops and capstones.
TWENTYNINTH_SET = (
    ("Merlion-Crew/MLOpsPython", "396eb0d36bb53c95e8fc0f54bc23c6ff54ed4135"),
    ("Otsugu/Azure-Machine-Learning-sample", "415875f1c0d351d33737720281cda92c3f68c6dc"),
    ("memasanz/databricks-aml-pipeline", "c3142268e1c0bf180a050ddd40fafb5927536fec"),
    ("sidtandon2014/AML-Pipelines", "b097510b73b634afb0bc783b3524752e318dd734"),
    ("swanguni/Azure-Machine-Learning-Examples", "5624624b7518592665e463ca1c7656c7ea592b3f"),
    ("ts-azure-services/aml-pipeline-CommandStep", "b0ecd139b6adec49812b41719e56885b10fc97f0"),
    ("lucazav/Azure-Machine-Learning-Workshop", "38b5775e1280b1d98d04e388300c38e87f3991a1"),
    ("tybyers/AZMLND_projects", "0acdad2da7d1015f3bd93729595af206eb2847ef"),
    ("vhcg77/nd00333-capstone", "8db6ffb1de4a2f5968dab0fc957e65f132f42fd1"),
    ("wonsungso/azure-machine-learning-workshop", "fe9da37122478bf5b3984d9f9e4e6d5d12a5bfb5"),
)
# The thirtieth (stop 41, measured at e0ec45e before they were read; owners a-k): MLOps templates with
# get-or-create provisioning scripts, pipeline examples, workshops and capstones.  Its audit found the
# try/except lookups and the unpinned conda file that stop 42 fixed.
THIRTIETH_SET = (
    ("Azure-Samples/MLOpsManufacturing", "4e6910724f8a7af951dce079356b016e31c34667"),
    ("anildwarepo/aml-pipelines", "b9ed1ad0c429a062f737a237e0da97a8c629092a"),
    ("boriza/aml-pipeline-deploy", "6e1df6a37f455cd582904b11c0a2fd9bbed2631e"),
    ("claesgill/azure_ml_workshop2", "6c971ffe7eb1bb55beb30e2cbe30bbaeb20609ba"),
    ("akbo/azureml-pipeline-example", "867b1c94e651f8ee1777fbed4986d464ed99ea7b"),
    ("ianovski/google-play-store-nlp", "afdfe5517bbf30e02f3e3ba80e9267fd574d7ee7"),
    ("gunjanak/Azure_ML_Codes", "1cc8d6c7af0065a1c15f3c44f1ec4692f013849d"),
    ("gbayer-1/AZMLND_Capstone_Project", "6c1039a83031d661776864b414b712bf116ad3e6"),
    ("KarpenkoNatalia/nd00333-capstone", "66c4db1c89a88012f8fbbd3e1bb4c06dcb9c38a7"),
    ("fnakashima/nd00333-capstone", "09f7e9f3078145bc60adf6c08eda72f50ba26ff5"),
)
# The thirty-first (stop 41, measured at e0ec45e before they were read; owners l-z): MLOps templates,
# GitHub-workflow launchers, a forms-recognition recipe and capstones.
THIRTYFIRST_SET = (
    ("oumaramzadia/MlOps", "ae538b9b1afadb38b1614c189a2b49fac0ba20a3"),
    ("tsmatsuz/oh4ml-lite-github-workflow", "9d8d2e9051d295bbf8f11387d9707d79e7bd4adb"),
    ("vananhlebarca/aml_mlops_template", "2dab1ff7ab2c9212b32b0ead3bb73de283572271"),
    ("nemarona/nd00333-capstone", "0a82c20644541b390296ad95a94a27e6937cd60d"),
    ("ttschuemp/nd00333-capstone", "28ccd44904b992a12809243ca479601cd7865d3e"),
    ("microsoft/knowledge-extraction-recipes-forms", "12462c635d74aa3aa96a357ddf87747367d521e0"),
    ("triet1102/Huggingface-AzureML", "f86dcfd7b3b5d93508949a3ccd111f9459e1a1b2"),
    ("lz-chen/aml-gha", "65e23465849bf9f6260871dcee7cb647a64869da"),
    ("olgagnatenko13/nd00333-capstone", "26b49efdb91b8fe02a498e1ca870544102801315"),
    ("syncdai/nd00333-capstone", "d76ee3231c7aaf01e0308b7e16d4758986aafb6c"),
)
SETS = {"first": HELD_OUT, "second": SECOND_SET, "third": THIRD_SET, "fourth": FOURTH_SET, "fifth": FIFTH_SET,
        "sixth": SIXTH_SET, "seventh": SEVENTH_SET, "eighth": EIGHTH_SET, "ninth": NINTH_SET, "tenth": TENTH_SET,
        "eleventh": ELEVENTH_SET, "twelfth": TWELFTH_SET, "thirteenth": THIRTEENTH_SET,
        "fourteenth": FOURTEENTH_SET, "fifteenth": FIFTEENTH_SET, "sixteenth": SIXTEENTH_SET,
        "seventeenth": SEVENTEENTH_SET, "eighteenth": EIGHTEENTH_SET, "nineteenth": NINETEENTH_SET,
        "twentieth": TWENTIETH_SET, "twentyfirst": TWENTYFIRST_SET,
        "twentysecond": TWENTYSECOND_SET, "twentythird": TWENTYTHIRD_SET,
        "twentyfourth": TWENTYFOURTH_SET, "twentyfifth": TWENTYFIFTH_SET,
        "twentysixth": TWENTYSIXTH_SET, "twentyseventh": TWENTYSEVENTH_SET,
        "twentyeighth": TWENTYEIGHTH_SET, "twentyninth": TWENTYNINTH_SET,
        "thirtieth": THIRTIETH_SET, "thirtyfirst": THIRTYFIRST_SET}

KEPT_SUFFIXES = (".py", ".ipynb", ".yml", ".yaml", ".json", ".txt", ".cfg", ".toml")


def _git_dir(repo: str, commit: str, mirrors: Path | None, scratch: Path) -> Path:
    """A git directory that holds ``commit`` of ``repo``."""
    if mirrors is not None:
        local = mirrors / repo.replace("/", "+") / "repo"
        return local / ".git" if (local / ".git").is_dir() else local
    target = scratch / repo.replace("/", "+")
    subprocess.run(["git", "init", "-q", "--bare", str(target)], check=True)
    subprocess.run(["git", "--git-dir", str(target), "fetch", "-q", "--depth", "1",
                    f"https://github.com/{repo}", commit], check=True)
    return target


def export(git_dir: Path, commit: str, out: Path, only: tuple[str, ...] = ()) -> int:
    """Write ``commit``'s kept files under ``out`` (those under the folders ``only`` names, when it
    names any); returns how many were written.  A blob the clone does not hold (a partial clone
    leaves large files out) is skipped."""
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", commit],
                             check=True, capture_output=True).stdout.decode("utf-8", "surrogateescape")
    wanted = []
    for entry in filter(None, listing.split("\0")):
        meta, name = entry.split("\t", 1)
        _, kind, blob = meta.split()
        if kind == "blob" and name.endswith(KEPT_SUFFIXES) and (not only or name.startswith(only)):
            wanted.append((blob, name))
    batch = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                           input="".join(f"{blob}\n" for blob, _ in wanted).encode(),
                           check=True, capture_output=True).stdout
    stream = io.BytesIO(batch)
    written = 0
    for _, name in wanted:
        header = stream.readline().split()
        if len(header) != 3:  # "<blob> missing"
            continue
        data = stream.read(int(header[2]))
        stream.read(1)  # the newline after each object
        path = out / name
        if out.resolve() not in path.resolve().parents:
            continue  # a name that would leave the folder
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the trees into (created; must be empty)")
    parser.add_argument("--mirrors", type=Path, default=None, help="read local clones instead of GitHub")
    parser.add_argument("--set", choices=sorted(SETS), default="first", help="which held-out set (default: first)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: not empty", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aml-heldout-") as scratch:
        names = [entry[0].split("/")[1] for entry in SETS[args.set]]
        for repo, commit, *only in SETS[args.set]:
            git_dir = _git_dir(repo, commit, args.mirrors, Path(scratch))
            name = repo.split("/")[1]
            folder = name if names.count(name) == 1 else repo.replace("/", "__")  # two forks of one project
            count = export(git_dir, commit, args.out / folder, *only)
            print(f"{repo}@{commit[:9]}: {count} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
