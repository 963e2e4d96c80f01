# datascience: rendered by imagesmith from images/datascience.yaml. Edit that file, not this one.
# base: image:datascience
FROM registry.acme/images/datascience:0123456789abcdef
USER root
# pip: every package reaches pip as one argument ("$@"), never through a shell's parsing
RUN --mount=type=cache,id=imagesmith-pip,target=/var/cache/imagesmith/pip,sharing=shared ["/bin/sh", "-c", "unset PIP_NO_CACHE_DIR; pip install --cache-dir /var/cache/imagesmith/pip -- \"$@\"", "pip", \
     "transformers==4.41.2"]
